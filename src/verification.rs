//! The phone-line verification's contact channels: the answers spell a channel in upper case
//! (`ContactChannel::Email`, `"EMAIL"`), the contact-code routes take it in their path in
//! lower case (`ContactChannelPath::Email`, `"email"`), as the official SDK's two types do.
//! The conversion between them lets a channel read from an answer go straight into
//! `phone_lines().verification().send_contact_code(..)` and `confirm_contact(..)`.

use crate::types::{ContactChannel, ContactChannelPath};

impl From<ContactChannel> for ContactChannelPath {
    /// The same channel as the contact-code routes spell it; a channel this client does not
    /// know yet keeps its name, in lower case.
    fn from(channel: ContactChannel) -> Self {
        let spelled = channel.to_string().to_ascii_lowercase();
        spelled
            .parse()
            .unwrap_or(ContactChannelPath::Unknown(spelled))
    }
}

impl From<ContactChannelPath> for ContactChannel {
    /// The same channel as the answers spell it; a channel this client does not know yet
    /// keeps its name, in upper case.
    fn from(channel: ContactChannelPath) -> Self {
        let spelled = channel.to_string().to_ascii_uppercase();
        spelled.parse().unwrap_or(ContactChannel::Unknown(spelled))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_crosses_between_its_two_spellings() {
        assert_eq!(
            ContactChannelPath::from(ContactChannel::Email),
            ContactChannelPath::Email
        );
        assert_eq!(
            ContactChannelPath::from(ContactChannel::Whatsapp),
            ContactChannelPath::Whatsapp
        );
        assert_eq!(
            ContactChannel::from(ContactChannelPath::Whatsapp),
            ContactChannel::Whatsapp
        );
        assert_eq!(
            ContactChannelPath::from(ContactChannel::Unknown("SMS".to_owned())),
            ContactChannelPath::Unknown("sms".to_owned())
        );
        assert_eq!(
            ContactChannel::from(ContactChannelPath::Unknown("sms".to_owned())),
            ContactChannel::Unknown("SMS".to_owned())
        );
    }
}
