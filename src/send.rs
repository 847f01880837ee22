//! Starting points for the most common request body, a message to send, and what the
//! client completes in it on the wire.

use crate::types::{MediaType, SendContent, SendDestination, SendMessageInput};

/// Completes a send's JSON body as the official SDK sends it: `media` without `mediaType`
/// goes with `"mediaType": "image"` (the API's own default, written out). Other operations
/// and bodies are left as they are.
pub(crate) fn complete_body(request: &mut reqwest::Request, operation: &str) {
    if operation != crate::generated::operation::MESSAGES_SEND {
        return;
    }
    let Some(bytes) = request.body().and_then(reqwest::Body::as_bytes) else {
        return;
    };
    let Ok(serde_json::Value::Object(mut body)) = serde_json::from_slice(bytes) else {
        return;
    };
    if body.contains_key("media") && !body.contains_key("mediaType") {
        body.insert("mediaType".to_owned(), serde_json::Value::from("image"));
        if let Ok(completed) = serde_json::to_vec(&body) {
            *request.body_mut() = Some(completed.into());
        }
    }
}

impl SendDestination {
    /// A contact, by E.164 phone number (`+5511988887777`) or BSUID.
    pub fn contact(number: impl Into<String>) -> Self {
        Self::Contact(number.into())
    }

    /// A WhatsApp group (`...@g.us`).
    pub fn group(group_id: impl Into<String>) -> Self {
        Self::Group(group_id.into())
    }

    /// A WhatsApp channel (newsletter, `...@newsletter`).
    pub fn newsletter(newsletter_id: impl Into<String>) -> Self {
        Self::Newsletter(newsletter_id.into())
    }

    /// A send of the template `template_id` (an id or a name), with these variables, to
    /// this destination.
    pub fn template<K, V>(
        self,
        template_id: impl Into<String>,
        variables: impl IntoIterator<Item = (K, V)>,
    ) -> SendMessageInput
    where
        K: Into<String>,
        V: Into<String>,
    {
        SendMessageInput::new(self, SendContent::template(template_id, variables))
    }

    /// A send of free text to this destination (within the 24-hour customer service
    /// window).
    pub fn text(self, text: impl Into<String>) -> SendMessageInput {
        SendMessageInput::new(self, SendContent::text(text))
    }

    /// A send of one media file (a public URL or a base64 data URI) of this kind to this
    /// destination.
    pub fn media(self, media: impl Into<String>, media_type: MediaType) -> SendMessageInput {
        SendMessageInput::new(self, SendContent::media(media, media_type))
    }
}

impl SendContent {
    /// The template `template_id` (an id or a name) with these variables.
    pub fn template<K, V>(
        template_id: impl Into<String>,
        variables: impl IntoIterator<Item = (K, V)>,
    ) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        Self::Template {
            template_id: template_id.into(),
            variables: variables
                .into_iter()
                .map(|(name, value)| (name.into(), value.into()))
                .collect(),
            media: None,
            media_type: None,
        }
    }

    /// Free text, without buttons, header or footer.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text {
            text: text.into(),
            buttons: Vec::new(),
            header: None,
            footer: None,
        }
    }

    /// One media file (a public URL or a base64 data URI) of this kind.
    pub fn media(media: impl Into<String>, media_type: MediaType) -> Self {
        Self::Media {
            media: media.into(),
            media_type: Some(media_type),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_alternative_goes_out_as_the_flat_body_upstream_documents() {
        let body =
            SendDestination::contact("+5511988887777").template("boas_vindas", [("nome", "Ana")]);
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"destinationNumber": "+5511988887777", "templateId": "boas_vindas", "variables": {"nome": "Ana"}})
        );
        let text = SendDestination::group("1203630@g.us").text("Oi");
        assert_eq!(
            serde_json::to_value(&text).unwrap(),
            json!({"groupId": "1203630@g.us", "text": "Oi", "variables": {}}),
            "`variables` is sent even when empty, as the official SDK does"
        );
        let media = SendDestination::newsletter("1@newsletter")
            .media("https://cdn.acme.com/a.pdf", MediaType::Document);
        assert_eq!(
            serde_json::to_value(&media).unwrap(),
            json!({"newsletterId": "1@newsletter", "media": "https://cdn.acme.com/a.pdf", "mediaType": "document", "variables": {}})
        );
    }

    #[test]
    fn a_body_read_back_is_the_alternative_it_was_built_from() {
        let bodies = [
            SendDestination::contact("+5511988887777").template("boas_vindas", [("nome", "Ana")]),
            SendDestination::group("1203630@g.us").text("Oi"),
            SendDestination::contact("+5511988887777")
                .media("https://cdn.acme.com/a.png", MediaType::Image),
        ];
        for body in bodies {
            let wire = serde_json::to_value(&body).unwrap();
            let read: SendMessageInput = serde_json::from_value(wire).unwrap();
            assert_eq!(read, body);
        }
    }

    #[test]
    fn a_body_with_two_alternatives_of_a_group_or_none_is_refused_when_read() {
        let refused = [
            (
                json!({"destinationNumber": "+55", "groupId": "1@g.us", "text": "Oi"}),
                "`to` has destinationNumber, groupId",
            ),
            (json!({"text": "Oi"}), "`to` is missing"),
            (
                json!({"destinationNumber": "+55", "templateId": "t", "text": "Oi"}),
                "`content` has templateId, text",
            ),
            (
                json!({"destinationNumber": "+55", "list": {"buttonText": "Ver"}, "text": "Oi", "buttons": [{"type": "reply", "label": "A"}]}),
                "`content` has text, buttons, list",
            ),
            (
                json!({"destinationNumber": "+55", "variables": {}}),
                "`content` is missing",
            ),
        ];
        for (body, expected) in refused {
            let error = serde_json::from_value::<SendMessageInput>(body.clone())
                .expect_err(&body.to_string())
                .to_string();
            assert!(error.contains(expected), "{body}: {error}");
        }
    }
}
