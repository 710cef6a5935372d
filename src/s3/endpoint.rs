//! Where a bucket's requests go: AWS's S3 endpoint for a region name, resolved
//! as botocore resolves it across every partition, or a custom endpoint.

use super::express::{Fips, Zonal};
use super::partitions::{self, Partition};
use crate::error::Error;
use crate::request::Scheme;
use crate::request::{canonical_authority, split_port, split_url};
use alloc::borrow::Cow;
use alloc::string::{String, ToString};

/// An S3 endpoint: AWS's for a region, or a custom one (MinIO, R2, a gateway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub(super) scheme: Scheme,
    /// Lower-cased, with a non-default port written as its number.
    pub(super) host: Cow<'static, str>,
    /// Path prefix without a trailing `/` (`""` or `/s3`).
    pub(super) prefix: String,
    pub(super) custom: bool,
    /// Whether the host is an IPv4 or IPv6 literal, which takes no bucket label.
    pub(super) ip: bool,
}

impl Endpoint {
    /// AWS's endpoint for `region`, as [`AwsEndpoint::resolve`] finds it
    /// (`s3.amazonaws.com` for `us-east-1` and `aws-global`,
    /// `s3.REGION.amazonaws.com.cn` in China, `s3-fips.REGION.…` for the
    /// FIPS pseudo-regions, `s3.REGION.c2s.ic.gov` in `aws-iso`, …).
    ///
    /// ```
    /// let e = awsig::s3::Endpoint::aws("eusc-de-east-1").unwrap();
    /// assert_eq!(e.host(), "s3.eusc-de-east-1.amazonaws.eu");
    /// ```
    pub fn aws(region: &str) -> Result<Endpoint, Error> {
        Resolved::of(region).map(|resolved| resolved.endpoint)
    }

    /// A custom endpoint: `scheme://host[:port][/path-prefix]`.
    ///
    /// The port must be 1 to 65535; the scheme's default port (`:443`,
    /// `:0443`, `:80`, …) is dropped and any other is written as its number,
    /// as clients send it in `Host`.
    ///
    /// ```
    /// let e = awsig::s3::Endpoint::parse("http://127.0.0.1:9000").unwrap();
    /// assert_eq!(e.host(), "127.0.0.1:9000");
    /// let e = awsig::s3::Endpoint::parse("https://GW.example.com:0443/s3/").unwrap();
    /// assert_eq!((e.host(), e.path_prefix()), ("gw.example.com", "/s3"));
    /// assert!(awsig::s3::Endpoint::parse("http://h:0").is_err());
    /// ```
    pub fn parse(url: &str) -> Result<Endpoint, Error> {
        let raw = split_url(url)?;
        if !raw.query.is_empty() {
            return Err(Error::InvalidUrl {
                reason: "of an endpoint cannot have a query",
            });
        }
        crate::encoding::check_escapes(raw.path.as_bytes(), crate::error::Component::Path)?;
        // Host names are case-insensitive; the signed host must match what
        // the client sends, so fix one case and one way to write the port.
        let host = canonical_authority(raw.scheme, raw.authority)?;
        let ip = is_ip_literal(split_port(&host)?.0);
        Ok(Endpoint {
            scheme: raw.scheme,
            host: Cow::Owned(host),
            prefix: raw.path.trim_end_matches('/').to_string(),
            custom: true,
            ip,
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, with a port when it is not the scheme's default.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The path prefix (empty, or like `/s3`).
    pub fn path_prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether this is a custom (non-AWS) endpoint.
    pub fn is_custom(&self) -> bool {
        self.custom
    }

    /// Whether the host is an IP address (`127.0.0.1`, `[::1]`), which only
    /// path-style addressing can use.
    pub fn is_ip(&self) -> bool {
        self.ip
    }
}

/// botocore's test for an IP host (`is_valid_ipv4_endpoint_url`, and any
/// bracketed literal): four dot-separated runs of 1 to 3 digits, by shape
/// alone, so `999.1.1.1` counts and `1.2.3.4.5` does not.
fn is_ip_literal(name: &str) -> bool {
    name.starts_with('[') || super::bucket::ipv4_shaped(name)
}

/// AWS's S3 endpoint for a region name, and the region that signs for it.
///
/// The name is resolved as botocore 1.43.11 does for presigned URLs (when
/// told an addressing style): `fips-` and `-fips` are removed and ask for
/// the FIPS endpoint; `aws-global` signs as `us-east-1`; the partition is the
/// one listing the region, else the first whose region pattern matches it,
/// else `aws`. The tables are generated from botocore's `partitions.json`.
/// One name differs: `auto`, Cloudflare R2's region, is an error
/// ([`Error::RegionNeedsCustomEndpoint`]) where botocore would build
/// `s3.auto.amazonaws.com`, a host AWS does not have.
///
/// ```
/// use awsig::s3::AwsEndpoint;
/// let e = AwsEndpoint::resolve("us-gov-west-1-fips")?;
/// assert_eq!((e.endpoint().host(), e.signing_region()), ("s3-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"));
/// let e = AwsEndpoint::resolve("aws-global")?;
/// assert_eq!((e.endpoint().host(), e.signing_region()), ("s3.amazonaws.com", "us-east-1"));
/// let e = AwsEndpoint::resolve("us-isob-west-7")?; // not listed, matched by pattern
/// assert_eq!((e.endpoint().host(), e.partition()), ("s3.us-isob-west-7.sc2s.sgov.gov", "aws-iso-b"));
/// # Ok::<(), awsig::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsEndpoint(Resolved<'static>);

impl AwsEndpoint {
    /// Resolves `region` (see the type's documentation).
    pub fn resolve(region: &str) -> Result<AwsEndpoint, Error> {
        let resolved = Resolved::of(region)?;
        Ok(AwsEndpoint(Resolved {
            endpoint: resolved.endpoint,
            signing_region: Cow::Owned(resolved.signing_region.into_owned()),
            partition: resolved.partition,
            fips: resolved.fips,
        }))
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.0.endpoint
    }

    /// The region of the credential scope (`us-east-1` for `aws-global`,
    /// `us-gov-west-1` for `fips-us-gov-west-1`).
    pub fn signing_region(&self) -> &str {
        &self.0.signing_region
    }

    /// The partition's id (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, …).
    pub fn partition(&self) -> &'static str {
        self.0.partition.id
    }
}

/// What a region resolves to, the signing region borrowed from the name
/// where it can be: a presigner made per request allocates no copy of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resolved<'a> {
    pub(super) endpoint: Endpoint,
    pub(super) signing_region: Cow<'a, str>,
    partition: &'static Partition,
    /// Whether a `fips-` or `-fips` region asked for FIPS endpoints.
    fips: Fips,
}

impl Resolved<'_> {
    /// Resolves `region`, the signing region borrowed from it where it can be.
    pub(super) fn of(region: &str) -> Result<Resolved<'_>, Error> {
        if !crate::scope::is_scope_name(region) {
            return Err(Error::InvalidRegion {
                region: region.to_string(),
            });
        }
        // botocore's `_normalize_fips_region`: every `fips-`, then every
        // `-fips`, wherever they are.
        // One pass over the name settles the usual region, which holds no `fips`.
        let fips = region.as_bytes().windows(4).any(|w| w == b"fips")
            && (region.contains("fips-") || region.contains("-fips"));
        let normalized: Cow<'_, str> = if fips {
            Cow::Owned(region.replace("fips-", "").replace("-fips", ""))
        } else {
            Cow::Borrowed(region)
        };
        let name: &str = &normalized;
        // `name` is `region`, a scope name, with pieces taken out: it holds
        // only scope-name bytes still, and may only have become empty or
        // lost a label's shape.
        let label_ok =
            (1..=63).contains(&name.len()) && !name.starts_with('-') && !name.ends_with('-');
        if !label_ok {
            return Err(Error::RegionNotHostLabel {
                region: region.to_string(),
            });
        }
        // R2's region falls in no partition's pattern, so botocore's default
        // partition would send it to `s3.auto.amazonaws.com`, which does
        // not exist: a URL there could only fail at the network.
        if name == "auto" {
            return Err(Error::RegionNeedsCustomEndpoint {
                region: region.to_string(),
            });
        }
        let partition = partition_of(name);
        if fips && !partition.s3_fips {
            return Err(Error::FipsUnsupported {
                region: region.to_string(),
                partition: partition.id,
            });
        }
        // The S3 ruleset's only named regions: `aws-global` is us-east-1's
        // global endpoint, and us-east-1 keeps it (botocore's default
        // `us_east_1_regional_endpoint = legacy`) except under FIPS.
        let global = name == "aws-global";
        let host_region = if global { "us-east-1" } else { name };
        let host = if !fips && host_region == "us-east-1" {
            Cow::Borrowed("s3.amazonaws.com")
        } else {
            let service = if fips { "s3-fips." } else { "s3." };
            let mut host = String::with_capacity(
                service.len() + host_region.len() + 1 + partition.dns_suffix.len(),
            );
            host.push_str(service);
            host.push_str(host_region);
            host.push('.');
            host.push_str(partition.dns_suffix);
            Cow::Owned(host)
        };
        Ok(Resolved {
            endpoint: Endpoint {
                scheme: Scheme::Https,
                host,
                prefix: String::new(),
                custom: false,
                ip: false,
            },
            signing_region: if global {
                Cow::Borrowed("us-east-1")
            } else {
                normalized
            },
            partition,
            fips: if fips { Fips::On } else { Fips::Off },
        })
    }

    /// Where the partition's directory buckets' zonal endpoints are.
    pub(super) fn zonal(&self) -> Zonal {
        Zonal {
            dns_suffix: self.partition.dns_suffix,
            fips: self.fips,
        }
    }
}

/// botocore's `aws.partition`: the partition listing `region`, else the first
/// whose pattern matches, else the first (`aws`). Looking names up before
/// patterns is the same order, because the generator checks that no listed
/// region matches an earlier partition's pattern.
fn partition_of(region: &str) -> &'static Partition {
    partitions::listed(region)
        .or_else(|| {
            partitions::PARTITIONS
                .iter()
                .copied()
                .find(|p| matches_pattern(region, p))
        })
        .unwrap_or(partitions::PARTITIONS[0])
}

/// Whether `region` is one of `partition`'s prefixes followed by `\w+-\d+`.
fn matches_pattern(region: &str, partition: &Partition) -> bool {
    partition.region_prefixes.iter().any(|prefix| {
        region
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(word, digits)| {
                !word.is_empty()
                    && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && !digits.is_empty()
                    && digits.bytes().all(|b| b.is_ascii_digit())
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(region: &str) -> (String, String, &'static str) {
        let e = AwsEndpoint::resolve(region).unwrap();
        (
            e.endpoint().host().to_string(),
            e.signing_region().to_string(),
            e.partition(),
        )
    }

    #[test]
    fn every_listed_region_resolves_in_its_partition() {
        for region in partitions::LISTED {
            let p = partitions::listed(region).unwrap();
            let (host, signing, id) = resolve(region);
            assert_eq!(id, p.id, "{region}");
            assert!(
                host.ends_with(p.dns_suffix) || region == "aws-global",
                "{region}"
            );
            assert!(!signing.is_empty());
        }
    }

    #[test]
    fn unlisted_regions_go_by_pattern_then_default_to_aws() {
        assert_eq!(resolve("us-west-9").0, "s3.us-west-9.amazonaws.com");
        assert_eq!(resolve("cn-south-7").0, "s3.cn-south-7.amazonaws.com.cn");
        assert_eq!(resolve("us-iso-west-5").2, "aws-iso");
        assert_eq!(
            resolve("us-isof-north-2").0,
            "s3.us-isof-north-2.csp.hci.ic.gov"
        );
        assert_eq!(
            resolve("eu-isoe-north-3").0,
            "s3.eu-isoe-north-3.cloud.adc-e.uk"
        );
        assert_eq!(
            resolve("eusc-de-west-2").0,
            "s3.eusc-de-west-2.amazonaws.eu"
        );
        assert_eq!(resolve("us-gov-north-4").2, "aws-us-gov");
        assert_eq!(resolve("xx-foo-1").0, "s3.xx-foo-1.amazonaws.com");
        assert_eq!(resolve("foo").2, "aws");
        // `eusc-fr-…` is not in aws-eusc's `(de)` group, nor any other pattern.
        assert_eq!(resolve("eusc-fr-east-1").2, "aws");
        assert_eq!(resolve("cn-north").2, "aws");
    }

    #[test]
    fn global_and_fips_pseudo_regions_as_botocore_builds_them() {
        let want = |h: &str, s: &str| (h.to_string(), s.to_string());
        let hs = |r| {
            let (h, s, _) = resolve(r);
            (h, s)
        };
        assert_eq!(hs("aws-global"), want("s3.amazonaws.com", "us-east-1"));
        assert_eq!(hs("us-east-1"), want("s3.amazonaws.com", "us-east-1"));
        assert_eq!(
            hs("fips-us-east-1"),
            want("s3-fips.us-east-1.amazonaws.com", "us-east-1")
        );
        assert_eq!(
            hs("us-east-1-fips"),
            want("s3-fips.us-east-1.amazonaws.com", "us-east-1")
        );
        assert_eq!(
            hs("fips-aws-global"),
            want("s3-fips.us-east-1.amazonaws.com", "us-east-1")
        );
        assert_eq!(
            hs("fips-us-iso-east-1"),
            want("s3-fips.us-iso-east-1.c2s.ic.gov", "us-iso-east-1")
        );
        assert_eq!(
            hs("aws-cn-global"),
            want("s3.aws-cn-global.amazonaws.com.cn", "aws-cn-global")
        );
    }

    #[test]
    fn bad_regions_are_typed_errors() {
        assert!(matches!(
            AwsEndpoint::resolve("fips-cn-north-1"),
            Err(Error::FipsUnsupported {
                partition: "aws-cn",
                ..
            })
        ));
        for bad in ["", "US-EAST-1", "us/east", "us east"] {
            assert!(
                matches!(AwsEndpoint::resolve(bad), Err(Error::InvalidRegion { .. })),
                "{bad}"
            );
        }
        let long = "a".repeat(64);
        for region in ["auto", "fips-auto", "auto-fips"] {
            assert_eq!(
                AwsEndpoint::resolve(region),
                Err(Error::RegionNeedsCustomEndpoint {
                    region: region.to_string()
                })
            );
        }
        assert!(Endpoint::aws("auto").is_err());
        for bad in ["fips-", "-fips", "-us-east-1", "us-east-1-", long.as_str()] {
            assert!(
                matches!(
                    AwsEndpoint::resolve(bad),
                    Err(Error::RegionNotHostLabel { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn custom_endpoints_know_ip_hosts() {
        for (url, ip) in [
            ("http://127.0.0.1:9000", true),
            ("http://[::1]:9000", true),
            ("http://999.1.1.1", true),
            ("http://1.2.3.4.5", false),
            ("http://localhost:8080", false),
        ] {
            assert_eq!(Endpoint::parse(url).unwrap().is_ip(), ip, "{url}");
        }
    }

    #[test]
    fn custom_endpoint_ports() {
        let host = |u| Endpoint::parse(u).map(|e| e.host().to_string());
        assert_eq!(host("https://h:0443").unwrap(), "h");
        assert_eq!(host("http://h:080").unwrap(), "h");
        assert_eq!(host("http://h:09000").unwrap(), "h:9000");
        assert_eq!(host("http://[::1]:0080").unwrap(), "[::1]");
        for bad in ["http://h:0", "http://h:65536", "http://[::1]:0"] {
            assert!(matches!(host(bad), Err(Error::InvalidPort { .. })), "{bad}");
        }
    }
}
