//! Text messages through Amazon SNS, published straight to the client's phone as transactional
//! SMS. The only code of notification that talks to SNS.

use aws_sdk_sns::{error::DisplayErrorContext, types::MessageAttributeValue};

pub struct Texter {
    sns: aws_sdk_sns::Client,
}

impl Texter {
    pub fn new(sns: aws_sdk_sns::Client) -> Self {
        Self { sns }
    }

    /// Sends one message to a number in E.164 (`+79991234567`); answers SNS's message id.
    pub async fn send(&self, phone: &str, text: &str) -> Result<String, SmsError> {
        let string = |value: &str| {
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value(value)
                .build()
                .map_err(|e| SmsError(e.to_string()))
        };
        let out = self
            .sns
            .publish()
            .phone_number(phone)
            .message(text)
            // Delivered first and not dropped for price: the client is waiting for it.
            .message_attributes("AWS.SNS.SMS.SMSType", string("Transactional")?)
            .send()
            .await
            .map_err(|e| SmsError(DisplayErrorContext(e).to_string()))?;
        Ok(out.message_id.unwrap_or_default())
    }
}

/// SNS did not take the message.
#[derive(Debug, thiserror::Error)]
#[error("SNS: {0}")]
pub struct SmsError(String);

/// A Russian number as clients type it ("+7 999 123-45-67", "8 (999) 123 45 67") in E.164; `None`
/// for anything that is not one.
pub fn e164(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match (digits.len(), digits.chars().next()) {
        (11, Some('7')) => Some(format!("+{digits}")),
        (11, Some('8')) => Some(format!("+7{}", &digits[1..])),
        (10, Some('9')) => Some(format!("+7{digits}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_numbers_as_typed_become_e164() {
        assert_eq!(e164("+7 999 123-45-67").as_deref(), Some("+79991234567"));
        assert_eq!(e164("8 (999) 123 45 67").as_deref(), Some("+79991234567"));
        assert_eq!(e164("9991234567").as_deref(), Some("+79991234567"));
        assert_eq!(e164("12345"), None);
        assert_eq!(e164(""), None);
    }
}
