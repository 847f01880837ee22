//! Starting points for the most common request body, a message to send, and what the
//! client completes in it on the wire.

use crate::types::SendMessageInput;

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

impl SendMessageInput {
    /// A message to one phone number (E.164, such as `+5511988887777`). Add what to send
    /// with [`template`](Self::template) or [`text`](Self::text), or set the fields.
    pub fn to_number(number: impl Into<String>) -> Self {
        Self {
            destination_number: Some(number.into()),
            ..Self::default()
        }
    }

    /// A message to a WhatsApp group (`...@g.us`).
    pub fn to_group(group_id: impl Into<String>) -> Self {
        Self {
            group_id: Some(group_id.into()),
            ..Self::default()
        }
    }

    /// A message to a WhatsApp channel (newsletter, `...@newsletter`).
    pub fn to_newsletter(newsletter_id: impl Into<String>) -> Self {
        Self {
            newsletter_id: Some(newsletter_id.into()),
            ..Self::default()
        }
    }

    /// Sends the template `template_id` (an id or a name) with these variables.
    pub fn template<K, V>(
        mut self,
        template_id: impl Into<String>,
        variables: impl IntoIterator<Item = (K, V)>,
    ) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.template_id = Some(template_id.into());
        self.variables = variables
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        self
    }

    /// Sends free text (outside a template, within the 24-hour customer service window).
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_template_send_always_carries_its_variables() {
        let body = SendMessageInput::to_number("+5511988887777")
            .template("boas_vindas", [("nome", "Ana")]);
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"destinationNumber": "+5511988887777", "templateId": "boas_vindas", "variables": {"nome": "Ana"}})
        );
        let text = SendMessageInput::to_group("1203630@g.us").text("Oi");
        assert_eq!(
            serde_json::to_value(&text).unwrap(),
            json!({"groupId": "1203630@g.us", "text": "Oi", "variables": {}}),
            "`variables` is sent even when empty, as the official SDK does"
        );
    }
}
