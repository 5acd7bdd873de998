//! `serde` for the runtime's data types, and the helpers that generated code's
//! `serde` feature uses.
//!
//! The JSON form is the one the AWS CLI prints and boto3 takes:
//! - [`DateTime`]: RFC 3339 text in UTC (`2024-01-02T03:04:05.123Z`). Reading
//!   accepts any offset (the AWS CLI prints `2024-01-02T03:04:05.123000+00:00`),
//!   a space instead of the `T` (Python's `str(datetime)`), and epoch seconds as
//!   a JSON number.
//! - blobs (`Vec<u8>`): standard base64 with padding, through [`wire`];
//! - `f32`/`f64`: numbers, and the text `"NaN"`, `"Infinity"` or `"-Infinity"`
//!   for the values JSON has no number for (the rule of the AWS JSON
//!   protocols), through [`wire`];
//! - [`UnknownVariant`]: the value as received (generated enums read it back
//!   through their own conversions, which try the known values first);
//! - [`BigInteger`] and [`BigDecimal`]: their decimal text (a JSON string, so
//!   no digit is lost); reading also takes a JSON number;
//! - [`Document`] and [`Number`]: the JSON value itself.

use std::fmt;

use base64::Engine as _;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::{BigDecimal, BigInteger, DateTime, Document, IndexMap, Number, UnknownVariant};

/// `serde` itself, for the macros below (a generated crate may not name it).
#[doc(hidden)]
pub use serde as __serde;

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateTimeVisitor)
    }
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "an RFC 3339 timestamp such as \"2024-01-02T03:04:05.123000+00:00\", or epoch seconds",
        )
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime, E> {
        parse_timestamp_text(text).ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
    }

    fn visit_i64<E: de::Error>(self, seconds: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(seconds))
    }

    fn visit_u64<E: de::Error>(self, seconds: u64) -> Result<DateTime, E> {
        i64::try_from(seconds)
            .map(DateTime::from_secs)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(seconds), &self))
    }

    fn visit_f64<E: de::Error>(self, seconds: f64) -> Result<DateTime, E> {
        // Through the shortest text of the float, so 1.5 is exactly 1 s 500 ms.
        let text = ryu::Buffer::new().format(seconds).to_owned();
        let text = text.strip_suffix(".0").unwrap_or(&text);
        DateTime::parse_epoch_seconds(text)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(seconds), &self))
    }
}

/// RFC 3339, or the same with a space between date and time (Python's `str(datetime)`).
fn parse_timestamp_text(text: &str) -> Option<DateTime> {
    DateTime::parse_rfc3339(text).or_else(|| {
        let (date, time) = text.split_once(' ')?;
        DateTime::parse_rfc3339(&format!("{date}T{time}"))
    })
}

impl<T: Serialize> Serialize for UnknownVariant<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

macro_rules! text_number_serde {
    ($ty:ident, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TextVisitor;
                impl Visitor<'_> for TextVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: de::Error>(self, text: &str) -> Result<$ty, E> {
                        text.parse().map_err(E::custom)
                    }
                    fn visit_i64<E: de::Error>(self, value: i64) -> Result<$ty, E> {
                        self.visit_str(&value.to_string())
                    }
                    fn visit_u64<E: de::Error>(self, value: u64) -> Result<$ty, E> {
                        self.visit_str(&value.to_string())
                    }
                    fn visit_f64<E: de::Error>(self, value: f64) -> Result<$ty, E> {
                        if !value.is_finite() {
                            return Err(E::invalid_value(de::Unexpected::Float(value), &self));
                        }
                        self.visit_str(ryu::Buffer::new().format_finite(value))
                    }
                }
                deserializer.deserialize_any(TextVisitor)
            }
        }
    };
}
text_number_serde!(BigInteger, "an integer, as text or a number");
text_number_serde!(BigDecimal, "a decimal number, as text or a number");

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Number::PosInt(n) => serializer.serialize_u64(n),
            Number::NegInt(n) => serializer.serialize_i64(n),
            Number::Float(x) => serializer.serialize_f64(x),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Document::deserialize(deserializer)? {
            Document::Number(n) => Ok(n),
            _ => Err(de::Error::custom("expected a number")),
        }
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Null => serializer.serialize_unit(),
            Document::Bool(b) => serializer.serialize_bool(*b),
            Document::Number(n) => n.serialize(serializer),
            Document::String(s) => serializer.serialize_str(s),
            Document::Array(items) => serializer.collect_seq(items),
            Document::Object(entries) => serializer.collect_map(entries),
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Document, D::Error> {
        Document::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Document, E> {
        Ok(Document::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Document, E> {
        Ok(Document::Number(match u64::try_from(n) {
            Ok(n) => Number::PosInt(n),
            Err(_) => Number::NegInt(n),
        }))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Document, E> {
        Ok(Document::Number(Number::PosInt(n)))
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Document, E> {
        Ok(Document::Number(Number::Float(x)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Document, E> {
        Ok(Document::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Document, E> {
        Ok(Document::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Document::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut entries = IndexMap::new();
        while let Some((key, value)) = map.next_entry::<String, Document>()? {
            entries.insert(key, value);
        }
        Ok(Document::Object(entries))
    }
}

/// Values whose JSON form is not serde's default: blobs (base64 text) and
/// floats (text for the non-finite ones), and the lists, maps, options and
/// boxes that hold them. Generated code names this module in
/// `#[serde(with = "::querygen_runtime::serde_support::wire")]` on such members.
pub mod wire {
    use super::*;

    /// A value with a JSON form of its own (see [the module](self)).
    pub trait Wire: Sized {
        /// Writes the value in its JSON form.
        fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
        /// Reads the value from its JSON form.
        fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    }

    /// For `#[serde(with)]`: writes `value` in its JSON form.
    pub fn serialize<T: Wire, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize_wire(serializer)
    }

    /// For `#[serde(with)]`: reads a value from its JSON form.
    pub fn deserialize<'de, T: Wire, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize_wire(deserializer)
    }

    /// A borrowed value that serializes in its JSON form (union members use it).
    pub struct AsWire<'a, T>(pub &'a T);

    impl<T: Wire> Serialize for AsWire<'_, T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.serialize_wire(serializer)
        }
    }

    /// An owned value read from its JSON form (union members use it).
    pub struct FromWire<T>(pub T);

    impl<'de, T: Wire> Deserialize<'de> for FromWire<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            T::deserialize_wire(deserializer).map(FromWire)
        }
    }

    impl Wire for Vec<u8> {
        fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(self))
        }

        fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
            base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .map_err(|e| de::Error::custom(format_args!("a blob must be base64 text: {e}")))
        }
    }

    macro_rules! float_wire {
        ($ty:ty) => {
            impl Wire for $ty {
                fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    if self.is_nan() {
                        serializer.serialize_str("NaN")
                    } else if self.is_infinite() {
                        serializer.serialize_str(if *self > 0.0 { "Infinity" } else { "-Infinity" })
                    } else {
                        self.serialize(serializer)
                    }
                }

                fn deserialize_wire<'de, D: Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Self, D::Error> {
                    struct FloatVisitor;
                    impl Visitor<'_> for FloatVisitor {
                        type Value = $ty;
                        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                            f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
                        }
                        fn visit_f64<E: de::Error>(self, x: f64) -> Result<$ty, E> {
                            Ok(x as $ty)
                        }
                        fn visit_i64<E: de::Error>(self, n: i64) -> Result<$ty, E> {
                            Ok(n as $ty)
                        }
                        fn visit_u64<E: de::Error>(self, n: u64) -> Result<$ty, E> {
                            Ok(n as $ty)
                        }
                        fn visit_str<E: de::Error>(self, text: &str) -> Result<$ty, E> {
                            match text {
                                "NaN" => Ok(<$ty>::NAN),
                                "Infinity" => Ok(<$ty>::INFINITY),
                                "-Infinity" => Ok(<$ty>::NEG_INFINITY),
                                _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
                            }
                        }
                    }
                    deserializer.deserialize_any(FloatVisitor)
                }
            }
        };
    }
    float_wire!(f32);
    float_wire!(f64);

    impl<T: Wire> Wire for Option<T> {
        fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Some(value) => serializer.serialize_some(&AsWire(value)),
                None => serializer.serialize_none(),
            }
        }

        fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Ok(Option::<FromWire<T>>::deserialize(deserializer)?.map(|v| v.0))
        }
    }

    impl<T: Wire> Wire for Box<T> {
        fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            (**self).serialize_wire(serializer)
        }

        fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            T::deserialize_wire(deserializer).map(Box::new)
        }
    }

    impl<T: Wire> Wire for Vec<T> {
        fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.iter().map(AsWire))
        }

        fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let items = Vec::<FromWire<T>>::deserialize(deserializer)?;
            Ok(items.into_iter().map(|v| v.0).collect())
        }
    }

    impl<K, V> Wire for IndexMap<K, V>
    where
        K: Serialize + for<'de> Deserialize<'de> + Eq + std::hash::Hash,
        V: Wire,
    {
        fn serialize_wire<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.iter().map(|(k, v)| (k, AsWire(v))))
        }

        fn deserialize_wire<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let entries = IndexMap::<K, FromWire<V>>::deserialize(deserializer)?;
            Ok(entries.into_iter().map(|(k, v)| (k, v.0)).collect())
        }
    }
}

/// The JSON form of a union: an object with exactly one member, as in the
/// AWS CLI's output. Used by generated `Serialize` impls.
pub fn serialize_union_member<S: Serializer, T: Serialize + ?Sized>(
    serializer: S,
    member: &'static str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(member, value)?;
    map.end()
}

/// The error for a union's `Unknown` variant, which holds no value to write.
pub fn unknown_union_member<E: serde::ser::Error>(union: &str) -> E {
    E::custom(format_args!(
        "cannot serialize `{union}::Unknown`: the member and its value were not kept"
    ))
}

/// The value of a union member that targets `smithy.api#Unit`: `{}`. Reading
/// it accepts any value (`{}` or `null` in practice).
pub struct UnitMember;

impl Serialize for UnitMember {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

impl<'de> Deserialize<'de> for UnitMember {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::IgnoredAny::deserialize(deserializer).map(|_| UnitMember)
    }
}

/// A string enum's text, for the generated `Deserialize` impls.
pub fn deserialize_enum_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    <std::borrow::Cow<'de, str>>::deserialize(deserializer)
}

/// `Serialize` and `Deserialize` for a generated string enum: its wire value
/// as a JSON string; a value the enum does not know is kept in `Unknown`.
#[macro_export]
macro_rules! serde_string_enum {
    ($name:ident) => {
        impl $crate::serde_support::__serde::Serialize for $name {
            fn serialize<S: $crate::serde_support::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::serde_support::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde_support::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::serde_support::deserialize_enum_text(deserializer)
                    .map(|text| Self::from(&*text))
            }
        }
    };
}

/// `Serialize` and `Deserialize` for a generated intEnum: its value as a JSON
/// number; a value the enum does not know is kept in `Unknown`.
#[macro_export]
macro_rules! serde_int_enum {
    ($name:ident) => {
        impl $crate::serde_support::__serde::Serialize for $name {
            fn serialize<S: $crate::serde_support::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.value())
            }
        }

        impl<'de> $crate::serde_support::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde_support::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i32 as $crate::serde_support::__serde::Deserialize<'de>>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_what_the_aws_cli_prints() {
        let expected = DateTime::from_secs_and_nanos(1_704_164_645, 123_000_000);
        for text in [
            "2024-01-02T03:04:05.123000+00:00",
            "2024-01-02T03:04:05.123Z",
            "2024-01-02 03:04:05.123000+00:00",
            "2024-01-02T04:04:05.123+01:00",
        ] {
            let json = format!("\"{text}\"");
            assert_eq!(
                serde_json::from_str::<DateTime>(&json).unwrap(),
                expected,
                "{text}"
            );
        }
        assert_eq!(
            serde_json::from_str::<DateTime>("1704164645.123").unwrap(),
            expected
        );
        assert_eq!(
            serde_json::to_string(&expected).unwrap(),
            "\"2024-01-02T03:04:05.123Z\""
        );
        let err = serde_json::from_str::<DateTime>("\"yesterday\"").unwrap_err();
        assert!(err.to_string().contains("RFC 3339"), "{err}");
    }

    #[test]
    fn timestamps_keep_nanoseconds() {
        let t = DateTime::from_secs_and_nanos(-1, 999_999_999);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"1969-12-31T23:59:59.999999999Z\"");
        assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap(), t);
    }

    #[test]
    fn blobs_are_base64_and_floats_may_be_text() {
        #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
        struct Holder {
            #[serde(with = "wire")]
            blob: Vec<u8>,
            #[serde(with = "wire")]
            blobs: Option<IndexMap<String, Vec<Vec<u8>>>>,
            #[serde(with = "wire")]
            floats: Vec<f64>,
        }
        let mut blobs = IndexMap::new();
        blobs.insert("k".to_owned(), vec![b"hi".to_vec(), vec![]]);
        let value = Holder {
            blob: vec![0, 255, 1],
            blobs: Some(blobs),
            floats: vec![1.5, f64::INFINITY, f64::NEG_INFINITY],
        };
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(
            json,
            r#"{"blob":"AP8B","blobs":{"k":["aGk=",""]},"floats":[1.5,"Infinity","-Infinity"]}"#
        );
        assert_eq!(serde_json::from_str::<Holder>(&json).unwrap(), value);
        let nan: Holder =
            serde_json::from_str(r#"{"blob":"","blobs":null,"floats":["NaN", 2]}"#).unwrap();
        assert!(nan.floats[0].is_nan() && nan.floats[1] == 2.0 && nan.blobs.is_none());
        let err = serde_json::from_str::<Holder>(r#"{"blob":"!!","floats":[]}"#).unwrap_err();
        assert!(err.to_string().contains("base64"), "{err}");
        assert!(serde_json::from_str::<Holder>(r#"{"blob":"","floats":["nan"]}"#).is_err());
    }

    #[test]
    fn documents_and_numbers_are_plain_json() {
        let json = r#"{"a":[null,true,-3,4,0.5,"x"],"b":{}}"#;
        let doc: Document = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&doc).unwrap(), json);
        let big: BigInteger = serde_json::from_str("123").unwrap();
        assert_eq!(big.as_str(), "123");
        let big: BigDecimal = serde_json::from_str("\"1.25e-3\"").unwrap();
        assert_eq!(serde_json::to_string(&big).unwrap(), "\"1.25e-3\"");
        assert!(serde_json::from_str::<BigInteger>("\"1.5\"").is_err());
    }
}
