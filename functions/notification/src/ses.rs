//! Sending e-mail through SES (v2), from the template's verified sender. The only code of
//! notification that talks to SES.

use crate::domain::Letter;
use aws_sdk_sesv2::{
    error::DisplayErrorContext,
    types::{Body, Content, Destination, EmailContent, Message, MessageHeader},
};

pub struct Mailer {
    ses: aws_sdk_sesv2::Client,
    /// The verified sender (`MAIL_FROM`, the template's SES identity).
    from: String,
}

impl Mailer {
    pub fn new(ses: aws_sdk_sesv2::Client, from: String) -> Self {
        Self { ses, from }
    }

    /// Sends one letter; answers the provider's message id.
    pub async fn send(&self, to: &str, letter: &Letter) -> Result<String, MailError> {
        let content = |data: &str| {
            Content::builder()
                .data(data)
                .charset("UTF-8")
                .build()
                .map_err(|e| MailError(e.to_string()))
        };
        let header = |name: &str, value: &str| {
            MessageHeader::builder()
                .name(name)
                .value(value)
                .build()
                .map_err(|e| MailError(e.to_string()))
        };
        // RFC 8058's one-click unsubscribe, for a letter the client may turn off.
        let headers = match &letter.unsubscribe {
            Some(url) => vec![
                header("List-Unsubscribe", &format!("<{url}>"))?,
                header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")?,
            ],
            None => Vec::new(),
        };
        let message = Message::builder()
            .set_headers(Some(headers).filter(|h| !h.is_empty()))
            .subject(content(&letter.subject)?)
            .body(
                Body::builder()
                    .text(content(&letter.text)?)
                    .html(content(&letter.html)?)
                    .build(),
            )
            .build();
        let out = self
            .ses
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .map_err(|e| MailError(DisplayErrorContext(e).to_string()))?;
        Ok(out.message_id.unwrap_or_default())
    }
}

/// SES did not take the letter.
#[derive(Debug, thiserror::Error)]
#[error("SES: {0}")]
pub struct MailError(String);
