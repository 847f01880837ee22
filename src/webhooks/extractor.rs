//! The axum extractor: a handler argument that is a verified, typed event.

use ::axum::body::Body;
use ::axum::extract::{FromRef, FromRequest, Request};
use ::axum::http::{HeaderMap, StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::{
    Delivery, ParseError, SignatureError, WebhookEvent, Webhooks, decode_signature, signature_from,
};
use crate::Deviation;

/// An axum extractor for a webhook delivery whose signature was checked and whose body was
/// read into `E`: [`Event`](super::Event) for number webhooks,
/// [`PhoneLineEvent`](super::PhoneLineEvent) for phone-line webhooks, with where the body
/// differed from the event's type (see [`Delivery`]). Needs the `axum` feature.
///
/// The verifier comes from the router's state: the state is a
/// [`NumberWebhooks`](super::NumberWebhooks) (resp.
/// [`PhoneLineWebhooks`](super::PhoneLineWebhooks)), or your state implements
/// [`FromRef`] for it. It reads the body once, up to [`Webhooks::body_limit`]. A request it
/// refuses gets a [`WebhookRejection`]: 401 for a missing or wrong signature, 413 for a body
/// over the limit, 400 for a body that is not an event (not JSON, no `event` name); the
/// plain-text body says why. A signed event whose members differ from its type is passed on,
/// read as far as it fits, with its `deviations` (refused with 400 only by a
/// [`strict`](Webhooks::strict) verifier). An event this version does not know is accepted
/// as `Unknown`.
///
/// ```
/// use axum::{Router, extract::FromRef, http::StatusCode, routing::post};
/// use pilot_status::webhooks::{
///     Event, NumberWebhooks, PhoneLineEvent, PhoneLineWebhooks, VerifiedEvent,
/// };
///
/// #[derive(Clone)]
/// struct AppState {
///     numbers: NumberWebhooks,
///     phone_lines: PhoneLineWebhooks,
/// }
///
/// impl FromRef<AppState> for NumberWebhooks {
///     fn from_ref(state: &AppState) -> Self {
///         state.numbers.clone()
///     }
/// }
///
/// impl FromRef<AppState> for PhoneLineWebhooks {
///     fn from_ref(state: &AppState) -> Self {
///         state.phone_lines.clone()
///     }
/// }
///
/// async fn numbers(VerifiedEvent { event, deviations }: VerifiedEvent<Event>) -> StatusCode {
///     println!("{}", event.name());
///     for deviation in &deviations {
///         eprintln!("{} differs from the documented shape: {deviation}", event.name());
///     }
///     StatusCode::OK
/// }
///
/// async fn phone_lines(VerifiedEvent { event, .. }: VerifiedEvent<PhoneLineEvent>) -> StatusCode {
///     println!("{} {}", event.id, event.name());
///     StatusCode::OK
/// }
///
/// fn app() -> Result<Router, pilot_status::webhooks::SecretError> {
///     let state = AppState {
///         numbers: NumberWebhooks::from_env("PILOT_STATUS_WEBHOOK_SECRET")?,
///         phone_lines: PhoneLineWebhooks::from_env("PILOT_STATUS_PHONE_LINE_WEBHOOK_SECRET")?
///             .with_body_limit(64 * 1024),
///     };
///     Ok(Router::new()
///         .route("/webhooks/pilot-status", post(numbers))
///         .route("/webhooks/phone-lines", post(phone_lines))
///         .with_state(state))
/// }
/// ```
///
/// With a single route, the verifier itself can be the state:
/// `Router::new().route("/webhooks", post(numbers)).with_state(webhooks)`.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedEvent<E> {
    /// The event.
    pub event: E,
    /// Where the body differed from the event's type; empty when it fit.
    pub deviations: Vec<Deviation>,
}

/// Why [`VerifiedEvent`] refused a request; as a response, its status and a plain-text body
/// with this message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookRejection {
    /// The signature is missing, malformed or does not match: 401.
    #[error("webhook signature refused: {0}")]
    Signature(#[from] SignatureError),
    /// The body is not an event, or (strict verifier) not the documented shape of its
    /// event: 400.
    #[error("webhook body refused: {0}")]
    Parse(#[from] ParseError),
    /// The body is larger than the verifier's limit: 413.
    #[error("webhook body refused: larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body could not be read from the connection: 400.
    #[error("webhook body could not be read: {0}")]
    Body(#[source] ::axum::Error),
}

impl WebhookRejection {
    /// The status this rejection answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Signature(_) => StatusCode::UNAUTHORIZED,
            Self::Parse(_) | Self::Body(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        (self.status(), self.to_string()).into_response()
    }
}

impl<S, E> FromRequest<S> for VerifiedEvent<E>
where
    S: Send + Sync,
    E: WebhookEvent,
    Webhooks<E>: FromRef<S>,
{
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let webhooks = Webhooks::<E>::from_ref(state);
        match verified(&webhooks, request).await {
            Ok(Delivery { event, deviations }) => Ok(Self { event, deviations }),
            Err(rejection) => {
                tracing::warn!(
                    status = rejection.status().as_u16(),
                    "refused a webhook delivery: {rejection}"
                );
                Err(rejection)
            }
        }
    }
}

/// Checks the signature's form, the size, then the signature of the body, then reads it.
async fn verified<E: WebhookEvent>(
    webhooks: &Webhooks<E>,
    request: Request,
) -> Result<Delivery<E>, WebhookRejection> {
    let (parts, body) = request.into_parts();
    let signature = signature_from(&parts.headers);
    // A request without a usable signature is refused before its body is read.
    decode_signature(signature)?;
    let limit = webhooks.body_limit();
    if declared_length(&parts.headers).is_some_and(|length| length > limit as u64) {
        return Err(WebhookRejection::TooLarge { limit });
    }
    let body = read_at_most(body, limit).await?;
    webhooks.verify(signature, &body)?;
    Ok(webhooks.read(&body)?)
}

/// The `Content-Length`, when present and a number.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// The whole body, or `TooLarge` as soon as it passes `limit` bytes.
async fn read_at_most(body: Body, limit: usize) -> Result<Vec<u8>, WebhookRejection> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(WebhookRejection::Body)?;
        if chunk.len() > limit - bytes.len() {
            return Err(WebhookRejection::TooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
