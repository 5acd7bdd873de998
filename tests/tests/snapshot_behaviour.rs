//! What the snapshot crates' generated code does, through their public API.
//! (That they compile at all, under `warnings = "deny"`, is checked by building this package.)

use snapshot_naming::error::ErrorValue;
use snapshot_naming::operation::login::LoginInput;
use snapshot_naming::operation::r#match::MatchInput;
use snapshot_naming::types::{BoxValue, Node, OddValues, PingPongA, Settings, Token, VecValue};
use snapshot_shapes::types::{Choice, Color, Priority, Tag};

#[test]
fn string_enums_round_trip_known_and_unknown_values() {
    assert_eq!(Color::from("dark-green"), Color::DarkGreen);
    assert_eq!(Color::DarkGreen.as_str(), "dark-green");
    assert_eq!(
        Color::from("Blue"),
        Color::Blue,
        "no enumValue: the member name is the value"
    );
    assert_eq!(Color::values(), ["red", "dark-green", "Blue"]);
    let unknown: Color = "ultraviolet".parse().unwrap();
    assert!(matches!(&unknown, Color::Unknown(v) if v.as_str() == "ultraviolet"));
    assert_eq!(unknown.to_string(), "ultraviolet");
    // Odd values: digits, spaces, quotes, and names the generator reserves.
    assert_eq!(OddValues::from("0"), OddValues::Zero);
    assert_eq!(OddValues::from("with space"), OddValues::WithSpace);
    assert_eq!(OddValues::from("say \"hi\"\\now"), OddValues::Quote);
    assert_eq!(OddValues::from("unknown"), OddValues::UnknownValue);
    assert_eq!(OddValues::from("self"), OddValues::SelfValue);
    assert_eq!(OddValues::V2.as_str(), "two");
}

#[test]
fn int_enums_round_trip_known_and_unknown_values() {
    assert_eq!(Priority::from(10), Priority::High);
    assert_eq!(Priority::Negative.value(), -1);
    assert_eq!(Priority::values(), [1, 10, -1]);
    assert_eq!("7".parse::<Priority>().unwrap().value(), 7);
    assert!("x".parse::<Priority>().is_err());
    assert_eq!(VecValue::Two.to_string(), "2");
}

#[test]
fn builders_name_every_missing_required_member() {
    let err = Tag::builder().value("v").build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot build `Tag`: required member `key` not set"
    );
    let err = Settings::builder().build().unwrap_err();
    assert_eq!(err.missing(), ["region", "legacy"]);
    // Inputs keep required members optional, but the builder still checks them.
    let err = MatchInput::builder().build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot build `MatchInput`: required member `type` not set"
    );
    let input = MatchInput::builder()
        .r#type("t")
        .self_("s")
        .build_value("b")
        .build()
        .unwrap();
    assert_eq!(input.r#type.as_deref(), Some("t"));
    assert_eq!(input.build_value.as_deref(), Some("b"));
}

#[test]
fn defaults_fill_non_optional_members() {
    let settings = Settings::builder()
        .region("eu")
        .legacy("x")
        .build()
        .unwrap();
    assert_eq!(settings.retries, 3);
    assert_eq!(settings.ratio, 0.5);
    assert!(settings.verbose);
    assert_eq!(settings.label, "none");
    assert_eq!(settings.size, BoxValue::Small);
    assert_eq!(settings.count, VecValue::Two);
    assert!(settings.names.is_empty());
    assert_eq!(settings.since.secs(), 0);
    assert_eq!(
        settings.zone, "a",
        "required with a default: the default wins"
    );
    assert_eq!(settings.nullable, None, "@default(null) stays optional");
    assert_eq!(settings.primitive, 0, "prelude primitives default to zero");
    assert_eq!(
        settings.legacy.as_deref(),
        Some("x"),
        "@clientOptional stays optional"
    );
}

#[test]
fn recursive_members_are_boxed() {
    let leaf = Node::builder().value("leaf").build();
    let root = Node::builder()
        .value("root")
        .next(leaf.clone())
        .children(leaf.clone())
        .build();
    assert_eq!(root.next.as_deref(), Some(&leaf));
    assert_eq!(root.children, Some(vec![leaf]));
    let ping = PingPongA::builder().build();
    assert_eq!(ping.pong, None);
}

#[test]
fn unions_have_a_variant_per_member() {
    let nested = Choice::Nested(Box::new(Choice::Text("hi".into())));
    assert_ne!(nested, Choice::Nothing);
    assert!(matches!(Choice::Number(3), Choice::Number(3)));
}

#[test]
fn sensitive_values_are_redacted_in_debug() {
    let input = LoginInput::builder()
        .user("alice")
        .password("hunter2")
        .one_time_codes("424242")
        .build();
    let shown = format!("{input:?}");
    assert!(shown.contains("alice"), "{shown}");
    assert!(
        !shown.contains("hunter2") && !shown.contains("424242"),
        "{shown}"
    );
    assert!(shown.contains("*** Sensitive Data Redacted ***"), "{shown}");
    // The builder holds the same secrets.
    let builder = LoginInput::builder().password("hunter2");
    assert!(!format!("{builder:?}").contains("hunter2"));
    // A sensitive structure is redacted whole.
    let token = Token::builder().value("tok-123").build();
    assert_eq!(format!("{token:?}"), "*** Sensitive Data Redacted ***");
    // A sensitive member of an error is neither in Debug nor in Display.
    let error = ErrorValue::builder()
        .message("denied")
        .secret("s3cr3t")
        .build();
    assert!(!format!("{error:?}").contains("s3cr3t"));
    assert_eq!(error.to_string(), "Error: denied");
}

#[test]
fn errors_carry_code_and_status() {
    use snapshot_shapes::error::{InvalidThing, ServiceUnavailable, Throttled};
    assert_eq!(InvalidThing::CODE, "InvalidThing.Bad");
    assert_eq!(InvalidThing::HTTP_STATUS, 422);
    assert_eq!(
        Throttled::CODE,
        "Throttled",
        "no awsQueryError: the shape name"
    );
    assert_eq!(
        Throttled::HTTP_STATUS,
        429,
        "httpError when there is no awsQueryError"
    );
    assert_eq!(
        ServiceUnavailable::HTTP_STATUS,
        500,
        "server errors default to 500"
    );
    let err: Box<dyn std::error::Error> =
        Box::new(InvalidThing::builder().message("bad field").build());
    assert_eq!(err.to_string(), "InvalidThing.Bad: bad field");
    assert_eq!(
        ServiceUnavailable::builder().build().to_string(),
        "ServiceUnavailable"
    );
}
