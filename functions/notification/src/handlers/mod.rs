pub mod user_registered;

use crate::{domain::Letter, Notification};
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

/// Sends one letter through SES; answers the provider's message id.
pub async fn send_email(n: &Notification, to: &str, letter: &Letter) -> Result<String, String> {
    let content = |data: &str| {
        Content::builder()
            .data(data)
            .charset("UTF-8")
            .build()
            .map_err(|e| e.to_string())
    };
    let message = Message::builder()
        .subject(content(&letter.subject)?)
        .body(
            Body::builder()
                .text(content(&letter.text)?)
                .html(content(&letter.html)?)
                .build(),
        )
        .build();
    let out = n
        .ses
        .send_email()
        .from_email_address(&n.mail_from)
        .destination(Destination::builder().to_addresses(to).build())
        .content(EmailContent::builder().simple(message).build())
        .send()
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(out.message_id.unwrap_or_default())
}
