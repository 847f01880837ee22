//! Tolerant reading: a response or webhook body that does not fit the SDK's type is read as
//! far as it fits, and every difference is reported as a [`Deviation`].
//!
//! The strict decode (`serde_json::from_slice`) stays the first try. Only when it fails does
//! [`tolerant`] read the body again, through a deserializer over the parsed JSON that knows
//! where it is (the path) and what each value was asked to be (the type's own `deserialize_*`
//! call):
//! - a value of another JSON type than the type asks for reads as that type's empty value
//!   (`""`, `0`, `false`, `[]`, an object read as if it had no members), or as `None` where
//!   the member is optional (it is then read as left out);
//! - a member the type requires but the body leaves out is presented to the type as its
//!   empty value;
//! - everything else is read as it is: the other members, the other items of a list, and
//!   members the type does not know (kept in each type's `extra` map).
//!
//! Some failures only show as an error from the type (a missing member, a value an open
//! enum or a flattened struct refuses); the reader then learns a fix for that place and
//! reads again, until the body reads or no fix is left. A fix learned for a list item
//! applies to every item of that list, so a page with many odd items takes a few passes,
//! not one per item.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use serde::Deserializer as _;
use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Expected, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde_json::{Map, Value};

/// How a response or webhook body differed from the SDK's type at one place, found while
/// reading it: the place (a JSON path), what the type expects there, and what came (or that
/// nothing came).
///
/// The value read at that place is the type's empty value (`""`, `0`, `false`, an empty
/// list, `None`); what the API sent is kept here, in [`Deviation::found`].
#[derive(Debug, Clone, PartialEq)]
pub struct Deviation {
    steps: Vec<Step>,
    path: String,
    expected: String,
    found: Option<Value>,
}

impl Deviation {
    fn new(steps: &[Step], expected: String, found: Option<Value>) -> Self {
        Self {
            path: json_path(steps),
            steps: steps.to_vec(),
            expected,
            found,
        }
    }

    /// The same deviation, found in a value that sits at `at` in the body (`["data"]`).
    pub(crate) fn under(self, at: &[&str]) -> Self {
        let mut steps: Vec<Step> = at
            .iter()
            .map(|name| Step::Member((*name).to_owned()))
            .collect();
        steps.extend(self.steps);
        Self::new(&steps, self.expected, self.found)
    }

    /// A deviation at the member `name` of the body's root object.
    pub(crate) fn at_member(name: &str, expected: &str, found: Option<Value>) -> Self {
        Self::new(&[Step::Member(name.to_owned())], expected.to_owned(), found)
    }

    /// Where, as a JSON path from the body's root: `$`, `$.numbers[2].name`,
    /// `$.data['odd key']`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Where, as a JSON Pointer (RFC 6901): `""`, `/numbers/2/name`.
    pub fn pointer(&self) -> String {
        let mut pointer = String::new();
        for step in &self.steps {
            pointer.push('/');
            match step {
                Step::Member(name) => pointer.push_str(&name.replace('~', "~0").replace('/', "~1")),
                Step::Item(index) => {
                    let _ = write!(pointer, "{index}");
                }
            }
        }
        pointer
    }

    /// What the type expects there, in JSON's terms: `a string`, `a boolean`,
    /// `an integer`, `an object (NumberListItem)`, ...
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// What the body had there; `None` when the member was missing.
    pub fn found(&self) -> Option<&Value> {
        self.found.as_ref()
    }

    /// True when the body left out a member the type requires.
    pub fn is_missing(&self) -> bool {
        self.found.is_none()
    }

    /// True when the place is an object's own `id` member (`$.id`, `$.numbers[2].id`): the
    /// value read there is empty, so it cannot name the object. For a send, follow it up with
    /// the call's idempotency key instead ([`ResponseExt::idempotency_key`]).
    ///
    /// [`ResponseExt::idempotency_key`]: crate::ResponseExt::idempotency_key
    pub fn is_id(&self) -> bool {
        matches!(self.steps.last(), Some(Step::Member(name)) if name == "id")
    }

    /// The path with every list index as `[*]`: one name for the same place in every item
    /// (what the SDK's warnings are counted by).
    pub fn place(&self) -> String {
        let general: Vec<Step> = self
            .steps
            .iter()
            .map(|step| match step {
                Step::Item(_) => Step::Item(usize::MAX),
                member => member.clone(),
            })
            .collect();
        json_path(&general)
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.found {
            None => write!(f, "{}: missing, expected {}", self.path, self.expected)?,
            Some(found) => write!(
                f,
                "{}: expected {}, found {}",
                self.path,
                self.expected,
                Abridged(found)
            )?,
        }
        if self.is_id() {
            f.write_str(" (the object's own id: read as empty)")?;
        }
        Ok(())
    }
}

/// How a client reads success bodies (strictly, or as far as they fit), and the deviations
/// it has already logged. The hooks attach it to each response for the decoder.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReadingPolicy {
    /// A body that does not fit its type is an error.
    pub(crate) strict: bool,
    logged: Logged,
}

impl ReadingPolicy {
    pub(crate) fn new(strict: bool) -> Self {
        Self {
            strict,
            logged: Logged::default(),
        }
    }

    /// Logs each deviation of a response of `operation` as a `tracing` warning, once per
    /// operation and place.
    pub(crate) fn warn(&self, operation: &str, deviations: &[Deviation]) {
        self.logged.warn("response", operation, deviations);
    }
}

/// The places already logged, by what was read (an operation, an event): each is logged
/// once, up to [`Logged::MAX`] places, then every time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Logged(Arc<Mutex<HashSet<(String, String)>>>);

impl Logged {
    const MAX: usize = 4096;

    /// Logs the deviations of a `what` named `name` not logged before. The value found is not
    /// logged, only its JSON type: a body can hold secrets (a new API key, a webhook secret).
    pub(crate) fn warn(&self, what: &str, name: &str, deviations: &[Deviation]) {
        for deviation in deviations {
            let place = deviation.place();
            let first = match self.0.lock() {
                Ok(mut logged) if logged.len() < Self::MAX => {
                    logged.insert((name.to_owned(), place))
                }
                _ => true,
            };
            if first {
                tracing::warn!(
                    target: "pilot_status::reading",
                    what,
                    name,
                    path = deviation.path(),
                    expected = deviation.expected(),
                    found = deviation.found().map_or("nothing", json_type),
                    "the {what} does not fit the SDK's type: read as far as it fits"
                );
            }
        }
    }
}

/// The JSON type of `value`, in words.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON value in one line, cut after 80 characters.
struct Abridged<'v>(&'v Value);

impl fmt::Display for Abridged<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 80;
        let text = self.0.to_string();
        match text.char_indices().nth(MAX) {
            Some((cut, _)) => write!(f, "{}...", &text[..cut]),
            None => f.write_str(&text),
        }
    }
}

/// One step into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    /// An object's member.
    Member(String),
    /// A list's item (`usize::MAX` stands for every item).
    Item(usize),
}

/// `steps` as a JSON path: `$`, `.name`, `['odd key']`, `[3]`, `[*]`.
fn json_path(steps: &[Step]) -> String {
    let mut path = String::from("$");
    for step in steps {
        match step {
            Step::Member(name) if is_identifier(name) => {
                path.push('.');
                path.push_str(name);
            }
            Step::Member(name) => {
                let _ = write!(
                    path,
                    "['{}']",
                    name.replace('\\', "\\\\").replace('\'', "\\'")
                );
            }
            Step::Item(usize::MAX) => path.push_str("[*]"),
            Step::Item(index) => {
                let _ = write!(path, "[{index}]");
            }
        }
    }
    path
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads `value` as `T` as far as it fits. `None` when no reading fits (the type refuses
/// every value at some place), which the SDK's own types never do.
pub(crate) fn tolerant<T: DeserializeOwned>(value: &Value) -> Option<(T, Vec<Deviation>)> {
    read_counting_passes(value).map(|(read, deviations, _)| (read, deviations))
}

/// [`tolerant`], and how many passes it took.
fn read_counting_passes<T: DeserializeOwned>(value: &Value) -> Option<(T, Vec<Deviation>, usize)> {
    let mut plan = Plan::default();
    // Every pass learns one new fix or tries the next presentation of one (at most
    // `LAST_PRESENTATION + 1` per place), and fixes only ever concern places of the body or
    // members the type names: this bounds the passes well within the limit.
    let limit = 64 + 16 * nodes(value);
    for pass in 1..=limit {
        let context = Context {
            plan: &plan,
            deviations: RefCell::new(Vec::new()),
            buffered: RefCell::new(Vec::new()),
        };
        let reader = Reader {
            context: &context,
            node: Node::Real(value),
            path: Vec::new(),
            optional: false,
        };
        match T::deserialize(reader) {
            Ok(read) => return Some((read, context.deviations.into_inner(), pass)),
            Err(error) => {
                if !plan.learn(error, &context.buffered.into_inner(), value) {
                    return None;
                }
            }
        }
    }
    None
}

/// How many values `value` holds, itself included.
fn nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(nodes).sum(),
        Value::Object(members) => members.values().map(nodes).sum(),
        _ => 0,
    }
}

/// The fixes learned so far.
#[derive(Default)]
struct Plan {
    /// Members presented where an object lacks them, by the object's place (list indices
    /// generalised: the items of a list have one type) and the member's name.
    missing: HashMap<(Vec<Step>, String), Fill>,
    /// Values presented to the type as empty instead of as they are.
    replaced: HashMap<Place, Fill>,
    /// Optional members whose value does not fit, read as left out, with what the type
    /// expected.
    removed: HashMap<Place, String>,
    /// The member whose fill the last fix changed, if it changed one.
    last: Option<Vec<Step>>,
    /// A member read as left out to find out whether it caused an error its object reported.
    trial: Option<Trial>,
    /// Members a trial cleared.
    cleared: HashSet<Vec<Step>>,
}

/// Where a fix applies: one value of the body, or, where the type refused a value for its
/// JSON type alone, every value of that JSON type at the same place of every item of the
/// lists on its path (the items of a list have one type, so they would all be refused).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Place {
    Exact(Vec<Step>),
    Like(Vec<Step>, &'static str),
}

impl Place {
    /// The place of a fix for the value at `path`: `Like` when the refusal was for its JSON
    /// type alone (`by_kind`) and the path crosses a list.
    fn of(path: &[Step], value: &Value, by_kind: bool) -> Self {
        if by_kind && path.iter().any(|step| matches!(step, Step::Item(_))) {
            Self::Like(general(path), kind_of(value))
        } else {
            Self::Exact(path.to_vec())
        }
    }
}

/// The place of the fix in `fixes` that applies to the value at `path`, if any.
fn fix_for<V>(fixes: &HashMap<Place, V>, path: &[Step], value: &Value) -> Option<Place> {
    let exact = Place::Exact(path.to_vec());
    if fixes.contains_key(&exact) {
        return Some(exact);
    }
    if fixes.is_empty() || !path.iter().any(|step| matches!(step, Step::Item(_))) {
        return None;
    }
    let like = Place::Like(general(path), kind_of(value));
    fixes.contains_key(&like).then_some(like)
}

/// The kind of value a type refuses or takes for its kind alone: a JSON type, with numbers
/// told apart into integers and fractions (an integer type takes `3`, not `1.5`).
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Number(number) if number.is_f64() => "a fraction",
        Value::Number(_) => "an integer",
        other => json_type(other),
    }
}

/// A member left out on trial: if the error its object reported comes again, the member was
/// not its cause.
struct Trial {
    member: Vec<Step>,
    /// The error, as text (place, kind and what it says).
    error: String,
}

/// What a type refused, as its error says.
struct Refusal {
    /// What it expected, when it says.
    expected: Option<String>,
    /// What it was given, when it says.
    unexpected: Option<Found>,
    /// Refused directly inside an `Option`.
    optional: bool,
    /// Refused for its JSON type alone (any value of that type would be).
    by_kind: bool,
}

/// A value presented in place of a missing or unfitting one.
#[derive(Debug, Clone, Default)]
struct Fill {
    /// Which empty value a type that takes any JSON is shown (see [`PRESENTATIONS`]).
    attempt: u8,
    /// What the type said it expected, when it said.
    expected: Option<String>,
}

/// What a fill shows a type that takes any JSON (an open enum, a flattened member, a
/// `serde_json::Value`), tried in this order: null, `""`, `0`, `false`, `[]`, `{}`, and
/// last [`STAND_IN`].
const PRESENTATIONS: [&str; 7] = [
    "null",
    "a string",
    "a number",
    "a boolean",
    "an array",
    "an object",
    "a value",
];

/// The last presentation: a string no body holds (it starts with NUL), which only a type
/// with no empty value of its own takes, as "nothing readable here" (a required instant,
/// `crate::timestamp::required`, reads it as `None`). Serde buffers a flattened member's
/// members before its type reads them, so a type there cannot tell a `null` the body sent
/// from a `null` the reader presents; it can tell this.
pub(crate) const STAND_IN: &str = "\u{0}pilot_status: nothing readable here";
const LAST_PRESENTATION: u8 = PRESENTATIONS.len() as u8 - 1;

impl Plan {
    /// Learns a fix for `error`, given the places the failed pass read through
    /// `deserialize_any` (`buffered`); false when no fix is left.
    fn learn(&mut self, error: ReadError, buffered: &[Vec<Step>], root: &Value) -> bool {
        let signature = format!("{error} {:?}", error.kind);
        let last = self.last.take();
        let path = error.path.unwrap_or_default();
        // A member left out on trial whose object reports the same error again was not its
        // cause; otherwise it was, and stays left out (if it is required, the type reports it
        // missing, below).
        if let Some(trial) = self.trial.take()
            && trial.error == signature
        {
            self.removed.remove(&Place::Exact(trial.member.clone()));
            self.cleared.insert(trial.member);
        }
        let refusal = match error.kind {
            Kind::Missing(member) => {
                let mut member_path = path.clone();
                member_path.push(Step::Member(member.clone()));
                let removal = at(root, &member_path)
                    .and_then(|value| fix_for(&self.removed, &member_path, value));
                if let Some(place) = removal
                    && let Some(expected) = self.removed.remove(&place)
                {
                    // Left out because its value did not fit, but required: present it as
                    // its type's empty value instead.
                    self.replaced.insert(
                        place,
                        Fill {
                            attempt: 0,
                            expected: Some(expected),
                        },
                    );
                    self.last = Some(member_path);
                    return true;
                }
                let key = (general(&path), member);
                if self.missing.contains_key(&key) {
                    // Presented, and still reported missing: nothing more to do here.
                    return self.escalate(&path, root);
                }
                self.missing.insert(key, Fill::default());
                self.last = Some(member_path);
                return true;
            }
            Kind::Mismatch {
                expected,
                unexpected,
                by_kind,
            } => Refusal {
                expected: Some(expected),
                unexpected: Some(unexpected),
                optional: error.optional,
                by_kind,
            },
            Kind::Other(message) => {
                let expected = refused_as(&message);
                Refusal {
                    // An untagged enum (an open enum) refuses a value for its JSON type.
                    by_kind: expected.is_some(),
                    expected,
                    unexpected: None,
                    optional: error.optional,
                }
            }
        };
        self.learn_refusal(
            path,
            refusal,
            Located {
                buffered,
                last,
                signature,
            },
            root,
        )
    }

    /// Learns a fix for a value the type refused at `path`.
    fn learn_refusal(
        &mut self,
        path: Vec<Step>,
        refusal: Refusal,
        located: Located<'_>,
        root: &Value,
    ) -> bool {
        let Refusal {
            expected,
            unexpected,
            optional,
            by_kind,
        } = refusal;
        let value = at(root, &path);
        // A fill the type refused: show it the next empty value.
        if let Some(fill) = self.fill_at(&path, value) {
            if fill.attempt < LAST_PRESENTATION {
                fill.attempt += 1;
                if fill.expected.is_none() {
                    fill.expected = expected;
                }
                self.last = Some(path);
                return true;
            }
            return self.escalate(&path, root);
        }
        let Some(value) = value else {
            return self.escalate(&path, root);
        };
        // An optional member that does not fit: read it as left out.
        if optional
            && matches!(path.last(), Some(Step::Member(_)))
            && fix_for(&self.removed, &path, value).is_none()
        {
            self.removed.insert(
                Place::of(&path, value, by_kind),
                expected.unwrap_or_else(|| "another value".to_owned()),
            );
            return true;
        }
        // An object whose type reports the error itself: a member it read from a buffer (a
        // flattened struct's, which serde reports without its path) refused its value.
        if let Value::Object(members) = value
            && self.locate(
                &path,
                members,
                unexpected.as_ref(),
                expected.as_deref(),
                &located,
            )
        {
            return true;
        }
        self.replaced.insert(
            Place::of(&path, value, by_kind),
            Fill {
                attempt: 0,
                expected,
            },
        );
        self.last = Some(path);
        true
    }

    /// The fill presented at `path`, if any: a replaced value (`value` is the body's there),
    /// or a missing member.
    fn fill_at(&mut self, path: &[Step], value: Option<&Value>) -> Option<&mut Fill> {
        if let Some(value) = value {
            let place = fix_for(&self.replaced, path, value)?;
            return self.replaced.get_mut(&place);
        }
        let (Step::Member(member), parent) = path.split_last()? else {
            return None;
        };
        self.missing.get_mut(&(general(parent), member.clone()))
    }

    /// Finds which member read from a buffer caused an error the object at `path` reported.
    /// The fill the last fix changed, when it is one of them and shows what was refused (or
    /// the error does not say), is shown its next empty value; else the next member not yet
    /// cleared (those holding the refused value first) is left out on trial. False when no
    /// member is left.
    fn locate(
        &mut self,
        path: &[Step],
        members: &Map<String, Value>,
        unexpected: Option<&Found>,
        expected: Option<&str>,
        located: &Located<'_>,
    ) -> bool {
        let children: Vec<&Vec<Step>> = located
            .buffered
            .iter()
            .filter(|child| child.len() == path.len() + 1 && child.starts_with(path))
            .collect();
        let value_of = |child: &[Step]| match child.last() {
            Some(Step::Member(name)) => members.get(name),
            _ => None,
        };
        if let Some(last) = located.last.as_ref().filter(|last| children.contains(last))
            && let Some(fill) = self.fill_at(last, value_of(last))
            && unexpected.is_none_or(|unexpected| unexpected.is_presentation(fill.attempt))
            && fill.attempt < LAST_PRESENTATION
        {
            fill.attempt += 1;
            if fill.expected.is_none() {
                fill.expected = expected.map(str::to_owned);
            }
            self.last = Some(last.clone());
            return true;
        }
        let open = |child: &&&Vec<Step>| {
            value_of(child).is_some_and(|value| {
                fix_for(&self.replaced, child, value).is_none()
                    && fix_for(&self.removed, child, value).is_none()
            }) && !self.cleared.contains(child.as_slice())
        };
        let holding = |child: &&&Vec<Step>| {
            value_of(child).is_some_and(|value| unexpected.is_some_and(|u| u.is(value)))
        };
        let suspect = children
            .iter()
            .filter(open)
            .find(holding)
            .or_else(|| children.iter().find(open));
        let Some(suspect) = suspect.map(|child| (*child).clone()) else {
            return false;
        };
        self.removed.insert(
            Place::Exact(suspect.clone()),
            expected.map_or_else(|| "another value".to_owned(), str::to_owned),
        );
        self.trial = Some(Trial {
            member: suspect,
            error: located.signature.clone(),
        });
        true
    }

    /// No fix is left at `path`: present the value that holds it as empty instead.
    fn escalate(&mut self, path: &[Step], root: &Value) -> bool {
        let Some((_, parent)) = path.split_last() else {
            return false;
        };
        let Some(value) = at(root, parent) else {
            // The parent is itself a fill: the error is reported there next time.
            return false;
        };
        match self.fill_at(parent, Some(value)) {
            Some(fill) if fill.attempt < LAST_PRESENTATION => {
                fill.attempt += 1;
                true
            }
            Some(_) => self.escalate(parent, root),
            None => {
                self.replaced
                    .insert(Place::Exact(parent.to_vec()), Fill::default());
                true
            }
        }
    }
}

/// What a failed pass says about where its error may be.
struct Located<'b> {
    /// The places read through `deserialize_any`.
    buffered: &'b [Vec<Step>],
    /// The member whose fill the fix before this pass changed.
    last: Option<Vec<Step>>,
    /// The error, as text.
    signature: String,
}

/// `path` with every list index generalised.
fn general(path: &[Step]) -> Vec<Step> {
    path.iter()
        .map(|step| match step {
            Step::Item(_) => Step::Item(usize::MAX),
            member => member.clone(),
        })
        .collect()
}

/// The value at `path` in `root`, if the body has one there.
fn at<'v>(root: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(root, |value, step| match step {
        Step::Member(name) => value.get(name.as_str()),
        Step::Item(index) => value.get(*index),
    })
}

/// What one pass shares.
struct Context<'p> {
    plan: &'p Plan,
    deviations: RefCell<Vec<Deviation>>,
    /// The places read through `deserialize_any`: where a type buffers what it reads (a
    /// struct with flattened members, an untagged enum) and reports errors without a path.
    buffered: RefCell<Vec<Vec<Step>>>,
}

impl Context<'_> {
    /// Records a deviation, unless one at an enclosing place already covers it.
    fn record(&self, steps: &[Step], expected: String, found: Option<Value>) {
        let mut deviations = self.deviations.borrow_mut();
        let covered = deviations
            .iter()
            .any(|deviation| steps.starts_with(&deviation.steps));
        if !covered {
            deviations.push(Deviation::new(steps, expected, found));
        }
    }
}

/// What a reader reads: a value of the body, or a fill in place of a missing or unfitting
/// one.
enum Node<'v> {
    Real(&'v Value),
    Fill {
        /// Which of [`PRESENTATIONS`] a type that takes any JSON is shown.
        attempt: u8,
        /// What the body had (`None`: nothing).
        found: Option<&'v Value>,
        /// What the type said it expected, when it said.
        expected: Option<String>,
    },
}

/// A deserializer over one place of the body.
struct Reader<'v, 'c> {
    context: &'c Context<'c>,
    node: Node<'v>,
    path: Vec<Step>,
    /// Read directly inside an `Option` (`deserialize_option` → `visit_some`): a value of
    /// the wrong JSON type is then refused, and the member read as left out.
    optional: bool,
}

/// The error of a pass: what the type refused, and where.
#[derive(Debug)]
struct ReadError {
    kind: Kind,
    path: Option<Vec<Step>>,
    /// Refused directly inside an `Option`.
    optional: bool,
}

#[derive(Debug)]
enum Kind {
    /// `missing field`.
    Missing(String),
    /// A value of another type, or out of range.
    Mismatch {
        expected: String,
        unexpected: Found,
        /// Refused for its JSON type (`invalid_type`), not for its value.
        by_kind: bool,
    },
    /// Any other refusal (an untagged enum that matched no variant, ...).
    Other(String),
}

/// The value a type refused, as serde describes it.
#[derive(Debug, Clone, PartialEq)]
enum Found {
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(String),
    Unit,
    Seq,
    Map,
    Other,
}

impl Found {
    fn of(unexpected: Unexpected<'_>) -> Self {
        match unexpected {
            Unexpected::Bool(value) => Self::Bool(value),
            Unexpected::Unsigned(value) => Self::Unsigned(value),
            Unexpected::Signed(value) => Self::Signed(value),
            Unexpected::Float(value) => Self::Float(value),
            Unexpected::Str(value) => Self::Str(value.to_owned()),
            Unexpected::Char(value) => Self::Str(value.to_string()),
            Unexpected::Unit | Unexpected::Option => Self::Unit,
            Unexpected::Seq => Self::Seq,
            Unexpected::Map => Self::Map,
            _ => Self::Other,
        }
    }

    /// True when `value` is what serde would describe so.
    fn is(&self, value: &Value) -> bool {
        match (self, value) {
            (Self::Unit, Value::Null)
            | (Self::Seq, Value::Array(_))
            | (Self::Map, Value::Object(_)) => true,
            (Self::Bool(expected), Value::Bool(value)) => expected == value,
            (Self::Str(expected), Value::String(value)) => expected == value,
            (Self::Unsigned(expected), Value::Number(value)) => value.as_u64() == Some(*expected),
            (Self::Signed(expected), Value::Number(value)) => value.as_i64() == Some(*expected),
            (Self::Float(expected), Value::Number(value)) => value.as_f64() == Some(*expected),
            _ => false,
        }
    }

    /// True when a fill at `attempt` shows a type that takes any JSON what serde would
    /// describe so.
    fn is_presentation(&self, attempt: u8) -> bool {
        matches!(
            (attempt, self),
            (0, Self::Unit)
                | (2, Self::Unsigned(0))
                | (3, Self::Bool(false))
                | (4, Self::Seq)
                | (5, Self::Map)
        ) || (attempt == 1 && *self == Self::Str(String::new()))
            || (attempt == 6 && *self == Self::Str(STAND_IN.to_owned()))
    }
}

impl ReadError {
    /// Places an error that does not know where it happened at `path`.
    fn at(mut self, path: &[Step]) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_vec());
        }
        self
    }

    /// Marks an error at `path` as refused directly inside an `Option`.
    fn in_option(mut self, path: &[Step]) -> Self {
        self = self.at(path);
        if self.path.as_deref() == Some(path) {
            self.optional = true;
        }
        self
    }

    fn new(kind: Kind) -> Self {
        Self {
            kind,
            path: None,
            optional: false,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = json_path(self.path.as_deref().unwrap_or_default());
        match &self.kind {
            Kind::Missing(member) => write!(f, "{path}: missing member `{member}`"),
            Kind::Mismatch { expected, .. } => write!(f, "{path}: expected {expected}"),
            Kind::Other(message) => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Self::new(Kind::Other(message.to_string()))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self::new(Kind::Mismatch {
            expected: in_json_terms(&expected.to_string()),
            unexpected: Found::of(unexpected),
            by_kind: true,
        })
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self::new(Kind::Mismatch {
            expected: in_json_terms(&expected.to_string()),
            unexpected: Found::of(unexpected),
            by_kind: false,
        })
    }

    fn missing_field(field: &'static str) -> Self {
        Self::new(Kind::Missing(field.to_owned()))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::new(Kind::Mismatch {
            expected: format!("one of {}", expected.join(", ")),
            unexpected: Found::Str(variant.to_owned()),
            by_kind: false,
        })
    }
}

/// What a type said it expected in an error message, when it says: serde's untagged enums
/// (the SDK's open enums) say `data did not match any variant of untagged enum Status`.
fn refused_as(message: &str) -> Option<String> {
    message
        .strip_prefix("data did not match any variant of untagged enum ")
        .map(|name| format!("a {name} value"))
}

/// serde's description of an expected type, in JSON's terms.
fn in_json_terms(expected: &str) -> String {
    match expected {
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "isize"
        | "usize" => "an integer".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        "a sequence" => "an array".to_owned(),
        "a map" => "an object".to_owned(),
        "a borrowed string" | "a character" => "a string".to_owned(),
        "unit" => "null".to_owned(),
        other => match other.strip_prefix("struct ") {
            Some(name) => format!("an object ({name})"),
            None => other.to_owned(),
        },
    }
}

/// What `visitor` expects, in JSON's terms.
fn expecting<'de, V: Visitor<'de>>(visitor: &V) -> String {
    in_json_terms(&(visitor as &dyn Expected).to_string())
}

impl<'v, 'c> Reader<'v, 'c> {
    fn child(&self, step: Step, node: Node<'v>) -> Self {
        let mut path = self.path.clone();
        path.push(step);
        Reader {
            context: self.context,
            node,
            path,
            optional: false,
        }
    }

    /// A value of the wrong JSON type: refused inside an `Option` (read as left out), else
    /// recorded and read as `empty`.
    fn mismatch<V: Visitor<'v>>(
        self,
        visitor: V,
        empty: impl FnOnce(V) -> Result<V::Value, ReadError>,
    ) -> Result<V::Value, ReadError> {
        let expected = expecting(&visitor);
        match self.node {
            Node::Real(_) if self.optional => Err(ReadError::new(Kind::Mismatch {
                expected,
                unexpected: Found::Other,
                by_kind: true,
            })
            .in_option(&self.path)),
            Node::Real(value) => {
                self.context
                    .record(&self.path, expected, Some(value.clone()));
                empty(visitor).map_err(|error| error.at(&self.path))
            }
            Node::Fill { .. } => self.filled(visitor, empty),
        }
    }

    /// A fill read by a type that asks for one kind of value: recorded, and read as `empty`.
    fn filled<V: Visitor<'v>>(
        self,
        visitor: V,
        empty: impl FnOnce(V) -> Result<V::Value, ReadError>,
    ) -> Result<V::Value, ReadError> {
        if let Node::Fill {
            found, expected, ..
        } = &self.node
        {
            let expected = expected.clone().unwrap_or_else(|| expecting(&visitor));
            self.context.record(&self.path, expected, found.cloned());
        }
        empty(visitor).map_err(|error| error.at(&self.path))
    }

    /// The members of an object (none for a fill or another value), plus the members the
    /// plan presents where the object lacks them.
    fn members(&self, object: Option<&'v Map<String, Value>>) -> Members<'v, 'c> {
        let plan = self.context.plan;
        let here = general(&self.path);
        let mut presented: Vec<(String, Fill)> = plan
            .missing
            .iter()
            .filter(|((object_path, member), _)| {
                *object_path == here && object.is_none_or(|object| !object.contains_key(member))
            })
            .map(|((_, member), fill)| (member.clone(), fill.clone()))
            .collect();
        presented.sort_by(|a, b| a.0.cmp(&b.0));
        Members {
            reader_path: self.path.clone(),
            context: self.context,
            entries: object.map(|object| object.iter()),
            presented: presented.into_iter(),
            next: None,
        }
    }

    fn visit_value<V: Visitor<'v>>(
        self,
        value: &'v Value,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let path = self.path.clone();
        match value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(value) => visitor.visit_bool(*value),
            Value::Number(number) => visit_number(number, visitor),
            Value::String(text) => visitor.visit_borrowed_str(text),
            Value::Array(items) => visitor.visit_seq(self.items(Some(items.as_slice()))),
            Value::Object(object) => visitor.visit_map(self.members(Some(object))),
        }
        .map_err(|error| error.at(&path))
    }

    fn items(&self, items: Option<&'v [Value]>) -> Items<'v, 'c> {
        Items {
            path: self.path.clone(),
            context: self.context,
            items: items.unwrap_or_default().iter().enumerate(),
        }
    }
}

fn visit_number<'v, V: Visitor<'v>>(
    number: &serde_json::Number,
    visitor: V,
) -> Result<V::Value, ReadError> {
    if let Some(value) = number.as_u64() {
        visitor.visit_u64(value)
    } else if let Some(value) = number.as_i64() {
        visitor.visit_i64(value)
    } else {
        visitor.visit_f64(number.as_f64().unwrap_or_default())
    }
}

/// The deserialize methods of one kind of primitive: the value when it has that JSON type,
/// else a mismatch read as `$empty`.
macro_rules! primitive {
    ($($method:ident)*, $matches:pat, $empty:expr) => {$(
        fn $method<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, ReadError> {
            match self.node {
                Node::Real(value @ $matches) => self.visit_value(value, visitor),
                _ => self.mismatch(visitor, $empty),
            }
        }
    )*};
}

impl<'v> de::Deserializer<'v> for Reader<'v, '_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.context.buffered.borrow_mut().push(self.path.clone());
        match self.node {
            Node::Real(value) => self.visit_value(value, visitor),
            Node::Fill {
                attempt,
                found,
                ref expected,
            } => {
                let expected = expected
                    .clone()
                    .unwrap_or_else(|| PRESENTATIONS[usize::from(attempt)].to_owned());
                self.context.record(&self.path, expected, found.cloned());
                let path = self.path.clone();
                match attempt {
                    0 => visitor.visit_unit(),
                    1 => visitor.visit_str(""),
                    2 => visitor.visit_u64(0),
                    3 => visitor.visit_bool(false),
                    4 => visitor.visit_seq(self.items(None)),
                    5 => visitor.visit_map(self.members(None)),
                    _ => visitor.visit_str(STAND_IN),
                }
                .map_err(|error| error.at(&path))
            }
        }
    }

    primitive!(deserialize_bool, Value::Bool(_), |v: V| v.visit_bool(false));
    primitive!(
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64,
        Value::Number(_), |v: V| v.visit_u64(0)
    );
    primitive!(
        deserialize_char deserialize_str deserialize_string deserialize_identifier,
        Value::String(_), |v: V| v.visit_str("")
    );
    primitive!(
        deserialize_bytes deserialize_byte_buf,
        Value::String(_) | Value::Array(_), |v: V| v.visit_bytes(&[])
    );
    primitive!(deserialize_unit, Value::Null, |v: V| v.visit_unit());

    fn deserialize_unit_struct<V: Visitor<'v>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_option<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.node {
            Node::Real(Value::Null) => visitor.visit_none(),
            Node::Real(_) => {
                let path = self.path.clone();
                let inner = Reader {
                    optional: true,
                    ..self
                };
                visitor
                    .visit_some(inner)
                    .map_err(|error| error.in_option(&path))
            }
            Node::Fill { .. } => self.filled(visitor, |v| v.visit_none()),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'v>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        // A required instant (`crate::timestamp::required`): no instant stands in for a
        // missing, `null` or unreadable one, so it reads as none, and the place is named.
        if name == crate::timestamp::REQUIRED_MARKER {
            match self.node {
                Node::Real(Value::Null) => {
                    self.context.record(
                        &self.path,
                        crate::timestamp::EXPECTED.to_owned(),
                        Some(Value::Null),
                    );
                    return visitor
                        .visit_none()
                        .map_err(|error: ReadError| error.at(&self.path));
                }
                Node::Fill { .. } => return self.filled(visitor, |v| v.visit_none()),
                Node::Real(_) => {}
            }
        }
        let path = self.path.clone();
        visitor
            .visit_newtype_struct(self)
            .map_err(|error| error.at(&path))
    }

    fn deserialize_seq<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.node {
            Node::Real(value @ Value::Array(_)) => self.visit_value(value, visitor),
            _ => {
                let items = self.items(None);
                self.mismatch(visitor, |v| v.visit_seq(items))
            }
        }
    }

    fn deserialize_tuple<V: Visitor<'v>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'v>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.node {
            Node::Real(value @ Value::Object(_)) => self.visit_value(value, visitor),
            _ => {
                let members = self.members(None);
                self.mismatch(visitor, |v| v.visit_map(members))
            }
        }
    }

    fn deserialize_struct<V: Visitor<'v>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'v>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let path = self.path.clone();
        match self.node {
            Node::Real(Value::String(variant)) => visitor
                .visit_enum(BorrowedStrDeserializer::<ReadError>::new(variant))
                .map_err(|error| error.at(&path)),
            Node::Real(Value::Object(object)) if object.len() == 1 => {
                let Some((variant, value)) = object.iter().next() else {
                    unreachable!("an object of one member has one member")
                };
                let payload = self.child(Step::Member(variant.clone()), Node::Real(value));
                visitor
                    .visit_enum(Variant { variant, payload })
                    .map_err(|error| error.at(&path))
            }
            _ => {
                let first = variants.first().copied().unwrap_or_default();
                self.mismatch(visitor, |v| {
                    v.visit_enum(StrDeserializer::<ReadError>::new(first))
                })
            }
        }
    }

    fn deserialize_ignored_any<V: Visitor<'v>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_unit()
    }
}

/// The members of an object being read, then the members presented where it lacks them.
struct Members<'v, 'c> {
    reader_path: Vec<Step>,
    context: &'c Context<'c>,
    entries: Option<serde_json::map::Iter<'v>>,
    presented: std::vec::IntoIter<(String, Fill)>,
    /// The place and value of the member whose name was just read.
    next: Option<(Vec<Step>, Node<'v>)>,
}

impl<'v, 'c> MapAccess<'v> for Members<'v, 'c> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'v>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let plan = self.context.plan;
        if let Some(entries) = &mut self.entries {
            for (name, value) in entries.by_ref() {
                let mut path = self.reader_path.clone();
                path.push(Step::Member(name.clone()));
                if let Some(place) = fix_for(&plan.removed, &path, value) {
                    let expected = plan.removed[&place].clone();
                    self.context.record(&path, expected, Some(value.clone()));
                    continue;
                }
                let fill =
                    fix_for(&plan.replaced, &path, value).map(|place| &plan.replaced[&place]);
                let next = match fill {
                    Some(fill) => Node::Fill {
                        attempt: fill.attempt,
                        found: Some(value),
                        expected: fill.expected.clone(),
                    },
                    None => Node::Real(value),
                };
                self.next = Some((path, next));
                return seed
                    .deserialize(BorrowedStrDeserializer::new(name))
                    .map(Some);
            }
        }
        let Some((name, fill)) = self.presented.next() else {
            return Ok(None);
        };
        let mut path = self.reader_path.clone();
        path.push(Step::Member(name.clone()));
        let node = Node::Fill {
            attempt: fill.attempt,
            found: None,
            expected: fill.expected,
        };
        self.next = Some((path, node));
        seed.deserialize(StrDeserializer::new(&name)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> Result<S::Value, ReadError> {
        let Some((path, node)) = self.next.take() else {
            return Err(de::Error::custom(
                "a member's value was asked before its name",
            ));
        };
        let reader = Reader {
            context: self.context,
            node,
            path: path.clone(),
            optional: false,
        };
        seed.deserialize(reader).map_err(|error| error.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.as_ref().map_or(0, |entries| entries.len()) + self.presented.len())
    }
}

/// The items of a list being read.
struct Items<'v, 'c> {
    path: Vec<Step>,
    context: &'c Context<'c>,
    items: std::iter::Enumerate<std::slice::Iter<'v, Value>>,
}

impl<'v> SeqAccess<'v> for Items<'v, '_> {
    type Error = ReadError;

    fn next_element_seed<S: DeserializeSeed<'v>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, ReadError> {
        let Some((index, value)) = self.items.next() else {
            return Ok(None);
        };
        let mut path = self.path.clone();
        path.push(Step::Item(index));
        let replaced = &self.context.plan.replaced;
        let fill = fix_for(replaced, &path, value).map(|place| &replaced[&place]);
        let node = match fill {
            Some(fill) => Node::Fill {
                attempt: fill.attempt,
                found: Some(value),
                expected: fill.expected.clone(),
            },
            None => Node::Real(value),
        };
        let reader = Reader {
            context: self.context,
            node,
            path: path.clone(),
            optional: false,
        };
        seed.deserialize(reader)
            .map(Some)
            .map_err(|error| error.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An enum written as `{"variant": payload}`.
struct Variant<'v, 'c> {
    variant: &'v str,
    payload: Reader<'v, 'c>,
}

impl<'v, 'c> EnumAccess<'v> for Variant<'v, 'c> {
    type Error = ReadError;
    type Variant = Reader<'v, 'c>;

    fn variant_seed<S: DeserializeSeed<'v>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Reader<'v, 'c>), ReadError> {
        let variant = seed.deserialize(BorrowedStrDeserializer::new(self.variant))?;
        Ok((variant, self.payload))
    }
}

impl<'v> VariantAccess<'v> for Reader<'v, '_> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'v>>(self, seed: S) -> Result<S::Value, ReadError> {
        let path = self.path.clone();
        seed.deserialize(self).map_err(|error| error.at(&path))
    }

    fn tuple_variant<V: Visitor<'v>>(self, _len: usize, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'v>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_map(visitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;

    #[derive(Debug, Default, Deserialize, Serialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Item {
        id: String,
        name: String,
        is_fully_connected: bool,
        #[serde(default)]
        age: Option<i64>,
        #[serde(default)]
        status: Option<Status>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    enum Status {
        #[serde(rename = "OPEN")]
        Open,
        #[serde(untagged)]
        Unknown(String),
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Common {
        id: String,
        from_me: bool,
        #[serde(default)]
        content: Option<String>,
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Flattened {
        #[serde(flatten)]
        common: Common,
        from: String,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    fn read<T: DeserializeOwned>(value: Value) -> (T, Vec<String>) {
        let (read, deviations) = tolerant::<T>(&value).expect("readable");
        (read, deviations.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_list_with_odd_items_reads_whole() {
        let (items, deviations) = read::<Vec<Item>>(json!([
            {"id": "a", "name": "A", "isFullyConnected": true},
            {"id": "b", "isFullyConnected": "yes", "later": 1},
            {"id": "c", "name": 7, "isFullyConnected": false, "age": "old", "status": 3},
        ]));
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].name, "");
        assert!(!items[1].is_fully_connected);
        assert_eq!(items[1].extra["later"], 1);
        assert_eq!((items[2].age, &items[2].status), (None, &None));
        assert_eq!(
            deviations,
            [
                "$[1].isFullyConnected: expected a boolean, found \"yes\"",
                "$[1].name: missing, expected a string",
                "$[2].age: expected an integer, found \"old\"",
                "$[2].name: expected a string, found 7",
                "$[2].status: expected a Status value, found 3",
            ]
        );
    }

    #[test]
    fn a_fix_for_one_item_serves_every_item_of_its_list() {
        // Each item lacks `name` and has an optional integer and an optional open enum of
        // another JSON type: the fixes learned on the first item serve the other 1999 (one
        // pass per fix, not per item).
        let items: Vec<Value> = (0..2000)
            .map(|i| json!({"id": i.to_string(), "isFullyConnected": true, "age": "old", "status": 3}))
            .collect();
        let (items, deviations, passes) =
            read_counting_passes::<Vec<Item>>(&Value::Array(items)).expect("readable");
        assert_eq!(items.len(), 2000);
        assert_eq!(deviations.len(), 3 * 2000);
        assert!(passes <= 5, "{passes} passes");
        // A value of the fitting type at the same place is read as it is.
        let (items, deviations) = read::<Vec<Item>>(json!([
            {"id": "a", "name": "A", "isFullyConnected": true, "status": 3},
            {"id": "b", "name": "B", "isFullyConnected": true, "status": "OPEN"},
        ]));
        assert_eq!(items[1].status, Some(Status::Open));
        assert_eq!(
            deviations,
            ["$[0].status: expected a Status value, found 3"]
        );
    }

    #[test]
    fn an_open_enum_member_of_another_type() {
        #[derive(Debug, Deserialize)]
        struct Holder {
            status: Status,
        }
        let (holder, deviations) = read::<Holder>(json!({"status": 5}));
        assert_eq!(holder.status, Status::Unknown(String::new()));
        assert_eq!(deviations, ["$.status: expected a Status value, found 5"]);
        let (holder, deviations) = read::<Holder>(json!({}));
        assert_eq!(holder.status, Status::Unknown(String::new()));
        assert_eq!(deviations, ["$.status: missing, expected a Status value"]);
    }

    #[test]
    fn flattened_members_are_found_by_value() {
        let (event, deviations) =
            read::<Flattened>(json!({"id": 5, "fromMe": "no", "content": 1, "extra": true}));
        assert_eq!(event.common.id, "");
        assert!(!event.common.from_me);
        assert_eq!(event.common.content, None);
        assert_eq!(event.from, "");
        assert_eq!(event.extra["extra"], true);
        let mut deviations = deviations;
        deviations.sort();
        assert_eq!(
            deviations,
            [
                "$.content: expected a string, found 1",
                "$.from: missing, expected a string",
                "$.fromMe: expected a boolean, found \"no\"",
                "$.id: expected a string, found 5 (the object's own id: read as empty)",
            ]
        );
        // Another member with the refused value is suspected first, and cleared.
        let (event, deviations) =
            read::<Flattened>(json!({"id": true, "fromMe": true, "from": "+55"}));
        assert!(event.common.from_me);
        assert_eq!(
            deviations,
            ["$.id: expected a string, found true (the object's own id: read as empty)"]
        );
        let (event, deviations) = read::<Flattened>(json!({"fromMe": true, "from": "+55"}));
        assert_eq!(event.common.id, "");
        assert_eq!(
            deviations,
            ["$.id: missing, expected a string (the object's own id: read as empty)"]
        );
    }

    #[test]
    fn a_value_of_another_kind_at_the_root() {
        let (item, deviations) = read::<Item>(json!(null));
        assert_eq!(item, Item::default());
        assert_eq!(deviations, ["$: expected an object (Item), found null"]);
        let (item, deviations) =
            read::<Item>(json!({"id": {"nested": true}, "name": [], "isFullyConnected": null}));
        assert_eq!(item.id, "");
        assert_eq!(deviations.len(), 3, "{deviations:?}");
    }

    #[test]
    fn paths_and_pointers() {
        let (_, deviations) = tolerant::<std::collections::BTreeMap<String, Vec<Item>>>(
            &json!({"odd key/~": [{"id": 1}]}),
        )
        .unwrap();
        assert_eq!(deviations[0].path(), "$['odd key/~'][0].id");
        assert_eq!(deviations[0].pointer(), "/odd key~1~0/0/id");
        assert_eq!(deviations[0].place(), "$['odd key/~'][*].id");
    }
}
