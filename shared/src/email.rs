//! What the shop accepts as a customer's e-mail address (registration, a gift card's recipient).

/// The address as given if it is one a customer can have: RFC-valid, at most 254 characters,
/// and a domain with a dot (`user@localhost` is valid RFC but never a customer's mailbox).
pub fn customer_address(email: &str) -> Option<&str> {
    if email.len() > 254 || !email_address::EmailAddress::is_valid(email) {
        return None;
    }
    match email.rsplit_once('@') {
        Some((_, domain)) if domain.contains('.') && !domain.ends_with('.') => Some(email),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::customer_address;

    #[test]
    fn a_customer_address_has_a_dotted_domain() {
        assert_eq!(customer_address("ivan@example.ru"), Some("ivan@example.ru"));
        for bad in ["ivan@localhost", "ivan@", "не почта", "ivan@example.", ""] {
            assert_eq!(customer_address(bad), None, "{bad}");
        }
    }
}
