//! What the operators' commands (`vitrina-wallet`, `vitrina-giftcards`, `vitrina-catalog`,
//! `vitrina-cases`) share: `--name value` arguments. Their AWS clients and one-line failures are
//! in [`crate::aws`].

/// The value after `--name`, if given.
pub fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_flag_is_the_argument_after_its_name() {
        let args: Vec<String> = ["move", "--order", "o-1", "--to"]
            .map(String::from)
            .to_vec();
        assert_eq!(super::flag(&args, "--order").as_deref(), Some("o-1"));
        assert_eq!(super::flag(&args, "--to"), None, "a name without a value");
        assert_eq!(super::flag(&args, "--function"), None);
    }
}
