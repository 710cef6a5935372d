//! The POST policy document: its conditions, written as JSON for signing,
//! and read back strictly for verifying.

use super::{is_signer_field, FILENAME};
use crate::error::Error;
use crate::scope::SigningTime;
use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use base64::Engine;
use serde_json::{Map, Value};

/// One condition of a POST policy. Its `Debug` and `Display` redact the
/// value of a condition on `x-amz-security-token`.
#[derive(Clone, PartialEq, Eq)]
pub enum Condition {
    /// The field's value is exactly `value`: `{"acl": "public-read"}` (or
    /// `["eq", "$acl", "public-read"]` as received).
    Eq {
        /// The field name (matched ignoring ASCII case).
        field: String,
        /// The value required.
        value: String,
    },
    /// The field's value starts with `prefix` (`""`: any value, but the
    /// field must be sent): `["starts-with", "$key", "user/"]`. For
    /// `Content-Type` a comma-separated list passes when every item does.
    StartsWith {
        /// The field name (matched ignoring ASCII case).
        field: String,
        /// The prefix required.
        prefix: String,
    },
    /// The file's size in bytes, both bounds included:
    /// `["content-length-range", 1, 10485760]`.
    ContentLengthRange {
        /// The least size allowed.
        min: u64,
        /// The greatest size allowed.
        max: u64,
    },
}

/// `content-length-range`, the one condition that names no field.
pub(crate) const CONTENT_LENGTH_RANGE: &str = "content-length-range";

impl Condition {
    /// The field the condition is on, if it is on one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Condition::Eq { field, .. } | Condition::StartsWith { field, .. } => Some(field),
            Condition::ContentLengthRange { .. } => None,
        }
    }

    /// Whether the condition is on the field `name` (names ignore case).
    pub(crate) fn names(&self, name: &str) -> bool {
        self.field().is_some_and(|f| f.eq_ignore_ascii_case(name))
    }

    /// Whether `value`, the value of the field the condition names, meets it.
    pub(crate) fn holds(&self, value: &str) -> bool {
        self.holds_for_file(value, None)
    }

    /// Whether `value`, the value of the field the condition names with
    /// `${filename}` expanded for `file_name` (`None`: left as written),
    /// meets the condition expanded the same way. botocore pins a key like
    /// `u/${filename}.jpg` with the exact condition `{"key": "u/${filename}.jpg"}`:
    /// both sides expand to `u/NAME.jpg`, and any other key fails.
    pub(crate) fn holds_for_file(&self, value: &str, file_name: Option<Option<&str>>) -> bool {
        fn expanded<'t>(text: &'t str, file_name: Option<Option<&str>>) -> Cow<'t, str> {
            match file_name {
                Some(file_name) if text.contains(FILENAME) => {
                    Cow::Owned(expand_filename(text, file_name))
                }
                _ => Cow::Borrowed(text),
            }
        }
        let expanded = |text| expanded(text, file_name);
        match self {
            Condition::Eq { value: want, .. } => value == expanded(want),
            Condition::StartsWith { field, prefix }
                if field.eq_ignore_ascii_case("Content-Type") =>
            {
                // The POST policy page: "Content-Types values for a
                // starts-with condition that include commas are interpreted
                // as lists. Each value in the list must meet the condition".
                let prefix = expanded(prefix);
                value
                    .split(',')
                    .all(|item| item.trim_matches(' ').starts_with(&*prefix))
            }
            Condition::StartsWith { prefix, .. } => value.starts_with(&*expanded(prefix)),
            Condition::ContentLengthRange { .. } => true,
        }
    }

    /// Checks a condition a caller asks the signer to write.
    pub(crate) fn check_settable(&self) -> Result<(), Error> {
        let invalid = |field: &str, reason| {
            Err(Error::InvalidPostCondition {
                field: field.to_string(),
                reason,
            })
        };
        match self {
            Condition::ContentLengthRange { min, max } if min > max => {
                invalid(CONTENT_LENGTH_RANGE, "has its minimum above its maximum")
            }
            Condition::ContentLengthRange { .. } => Ok(()),
            Condition::Eq { field, .. } | Condition::StartsWith { field, .. } => {
                if !crate::request::is_token(field) {
                    invalid(field, "names no form field (an HTTP token)")
                } else if field.eq_ignore_ascii_case("bucket") || is_signer_field(field) {
                    invalid(field, "is written by the signer")
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The condition as JSON, in the forms botocore writes.
    fn to_json(&self) -> Value {
        let dollar = |field: &str| Value::String(alloc::format!("${field}"));
        match self {
            Condition::Eq { field, value } => {
                let mut one = Map::new();
                one.insert(field.clone(), Value::String(value.clone()));
                Value::Object(one)
            }
            Condition::StartsWith { field, prefix } => Value::Array(alloc::vec![
                Value::String("starts-with".into()),
                dollar(field),
                Value::String(prefix.clone()),
            ]),
            Condition::ContentLengthRange { min, max } => Value::Array(alloc::vec![
                Value::String(CONTENT_LENGTH_RANGE.into()),
                Value::from(*min),
                Value::from(*max),
            ]),
        }
    }
}

impl Condition {
    /// The condition with a session token's value replaced, for display.
    fn shown(&self) -> Cow<'_, Condition> {
        const TOKEN: &str = "x-amz-security-token";
        match self {
            Condition::Eq { field, .. } if field.eq_ignore_ascii_case(TOKEN) => {
                Cow::Owned(Condition::Eq {
                    field: field.clone(),
                    value: "** redacted **".into(),
                })
            }
            Condition::StartsWith { field, .. } if field.eq_ignore_ascii_case(TOKEN) => {
                Cow::Owned(Condition::StartsWith {
                    field: field.clone(),
                    prefix: "** redacted **".into(),
                })
            }
            _ => Cow::Borrowed(self),
        }
    }
}

impl core::fmt::Display for Condition {
    /// The condition as the policy writes it, e.g. `["starts-with","$key","user/"]`
    /// (a session token's value redacted).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.shown().to_json())
    }
}

impl core::fmt::Debug for Condition {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Condition({self})")
    }
}

/// A POST policy: when it expires and what an upload must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The instant after which S3 refuses the form.
    pub expiration: SigningTime,
    /// The conditions, in order.
    pub conditions: Vec<Condition>,
}

impl Policy {
    /// The policy as compact JSON: `{"conditions":[...],"expiration":"2015-12-29T01:00:00Z"}`
    /// (members in name order; the time in botocore's form, whole seconds).
    pub fn to_json(&self) -> String {
        let mut doc = Map::new();
        let conditions = self.conditions.iter().map(Condition::to_json).collect();
        doc.insert("conditions".into(), Value::Array(conditions));
        doc.insert(
            "expiration".into(),
            Value::String(self.expiration.to_string()),
        );
        Value::Object(doc).to_string()
    }

    /// The base64 of the JSON: the form's `policy` field, and what is signed.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.to_json())
    }

    /// Reads a received `policy` field: base64 (standard alphabet, padded)
    /// of a UTF-8 JSON object with exactly `expiration` and `conditions`,
    /// where no object repeats a member (a repeated one would make the
    /// policy mean two things). Each way it is malformed is named.
    pub fn from_base64(text: &str) -> Result<Policy, &'static str> {
        let json = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| "is not base64")?;
        let Strict(doc) =
            serde_json::from_slice(&json).map_err(|_| "is not JSON without repeated members")?;
        let Value::Object(mut doc) = doc else {
            return Err("is not a JSON object");
        };
        let expiration = match doc.remove("expiration") {
            Some(Value::String(text)) => parse_expiration(&text)?,
            Some(_) => return Err("has an expiration that is not a string"),
            None => return Err("has no expiration (names are case-sensitive)"),
        };
        let conditions = match doc.remove("conditions") {
            Some(Value::Array(list)) => list.iter().map(condition_of).collect::<Result<_, _>>()?,
            Some(_) => return Err("has conditions that are not a list"),
            None => return Err("has no conditions (names are case-sensitive)"),
        };
        if !doc.is_empty() {
            return Err("has members other than expiration and conditions");
        }
        Ok(Policy {
            expiration,
            conditions,
        })
    }
}

/// `2015-12-30T12:00:00.000Z` or `2015-12-29T01:00:00Z`: RFC 3339 in UTC,
/// a fraction of a second dropped (the policy expires at the whole second).
fn parse_expiration(text: &str) -> Result<SigningTime, &'static str> {
    use time::format_description::well_known::Rfc3339;
    let bad = "has an expiration that is not an ISO 8601 UTC time (2015-12-30T12:00:00.000Z)";
    if !text.ends_with('Z') || text.as_bytes().get(10) != Some(&b'T') {
        return Err(bad);
    }
    let utc = time::OffsetDateTime::parse(text, &Rfc3339).map_err(|_| bad)?;
    SigningTime::from_unix_seconds(utc.unix_timestamp()).map_err(|_| bad)
}

/// One received condition.
fn condition_of(value: &Value) -> Result<Condition, &'static str> {
    let string = |v: &Value| v.as_str().map(str::to_string);
    match value {
        Value::Object(one) => {
            let mut members = one.iter();
            match (members.next(), members.next()) {
                (Some((field, Value::String(value))), None) => Ok(Condition::Eq {
                    field: field.clone(),
                    value: value.clone(),
                }),
                (Some(_), None) => Err("has an exact condition whose value is not a string"),
                _ => Err("has an exact condition without exactly one member"),
            }
        }
        Value::Array(list) => {
            let op = list.first().and_then(Value::as_str).unwrap_or_default();
            if op.eq_ignore_ascii_case(CONTENT_LENGTH_RANGE) {
                let bound = |v: Option<&Value>| match v {
                    Some(Value::Number(n)) => n.as_u64(),
                    Some(Value::String(s)) => s.parse::<u64>().ok(),
                    _ => None,
                };
                return match (list.len(), bound(list.get(1)), bound(list.get(2))) {
                    (3, Some(min), Some(max)) if min <= max => {
                        Ok(Condition::ContentLengthRange { min, max })
                    }
                    _ => Err("has a content-length-range that is not two sizes, least first"),
                };
            }
            let field = list
                .get(1)
                .and_then(Value::as_str)
                .and_then(|f| f.strip_prefix('$'));
            let operand = list.get(2).and_then(string);
            match (list.len(), field, operand) {
                (3, Some(field), Some(value)) if op.eq_ignore_ascii_case("eq") => {
                    Ok(Condition::Eq {
                        field: field.to_string(),
                        value,
                    })
                }
                (3, Some(field), Some(prefix)) if op.eq_ignore_ascii_case("starts-with") => {
                    Ok(Condition::StartsWith {
                        field: field.to_string(),
                        prefix,
                    })
                }
                _ => Err("has a condition that is not [\"eq\" or \"starts-with\", \"$field\", \"value\"]"),
            }
        }
        _ => Err("has a condition that is neither an object nor a list"),
    }
}

/// A JSON value read with every object's members unique: serde_json keeps
/// the last of repeated members, which would let a policy say two things.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON value whose objects repeat no member")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some((name, Strict(value))) = map.next_entry::<String, Strict>()? {
            if members.insert(name, value).is_some() {
                return Err(serde::de::Error::custom("an object repeats a member"));
            }
        }
        Ok(Value::Object(members))
    }
}

/// `value` with `${filename}` replaced by the uploaded file's name, as S3
/// expands it before checking the policy: only what follows the last `/`
/// or `\` of the name the client sent, or nothing when it sent none.
pub(crate) fn expand_filename(value: &str, file_name: Option<&str>) -> String {
    let base = file_name
        .map(|name| name.rsplit(['/', '\\']).next().unwrap_or(name))
        .unwrap_or_default();
    value.replace(FILENAME, base)
}
