//! What presigning a POST returns: the form's action URL and its fields,
//! as a list, as boto3's JSON, or as an HTML form.

use crate::scope::SigningTime;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde_json::Value;

/// A presigned browser upload: where the form posts to and the fields it
/// sends, in order. The file goes after them, in a field named `file`.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    pub(super) url: String,
    pub(super) fields: Vec<(String, String)>,
    pub(super) expires_at: SigningTime,
}

impl PresignedPost {
    /// The form's action: the bucket's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The fields, in the order the form sends them: `key`, the request's
    /// own fields, `x-amz-algorithm`, `x-amz-credential`, `x-amz-date`,
    /// `x-amz-security-token` (with temporary credentials), `policy`,
    /// `x-amz-signature`. The file follows them.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The value of the field `name` (names ignore ASCII case).
    pub fn field(&self, name: &str) -> Option<&str> {
        (self.fields.iter())
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// When the policy expires.
    pub fn expires_at(&self) -> SigningTime {
        self.expires_at
    }

    /// `{"url": ..., "fields": {...}}`, as boto3's `generate_presigned_post`
    /// returns it, with the fields in form order.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"url\": ");
        out.push_str(&Value::from(self.url.as_str()).to_string());
        out.push_str(", \"fields\": {");
        for (i, (name, value)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&Value::from(name.as_str()).to_string());
            out.push_str(": ");
            out.push_str(&Value::from(value.as_str()).to_string());
        }
        out.push_str("}}");
        out
    }

    /// An HTML form that uploads a file the user picks: each field hidden,
    /// then the file input (last, as S3 requires: it ignores fields after
    /// the file) and a submit button. Every value is escaped for an HTML
    /// attribute.
    pub fn html_form(&self) -> String {
        let mut out = String::from("<form action=\"");
        push_escaped(&mut out, &self.url);
        out.push_str("\" method=\"post\" enctype=\"multipart/form-data\">\n");
        for (name, value) in &self.fields {
            out.push_str("  <input type=\"hidden\" name=\"");
            push_escaped(&mut out, name);
            out.push_str("\" value=\"");
            push_escaped(&mut out, value);
            out.push_str("\">\n");
        }
        out.push_str("  <input type=\"file\" name=\"file\">\n");
        out.push_str("  <input type=\"submit\" value=\"Upload\">\n</form>\n");
        out
    }
}

/// Appends `text` escaped for a double-quoted HTML attribute.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

impl fmt::Debug for PresignedPost {
    /// The URL and fields, with the values of the bearer fields (the
    /// signature, the session token, and the policy, which holds the token
    /// with temporary credentials) redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = crate::credentials::is_bearer_name;
        let fields: Vec<(&str, &str)> = (self.fields.iter())
            .map(|(n, v)| {
                (
                    n.as_str(),
                    if redacted(n) {
                        "** redacted **"
                    } else {
                        v.as_str()
                    },
                )
            })
            .collect();
        f.debug_struct("PresignedPost")
            .field("url", &self.url)
            .field("fields", &fields)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}
