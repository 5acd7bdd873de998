use super::*;
use std::collections::BTreeMap;

const CONFIG: &str = "/h/.aws/config";
const CREDENTIALS: &str = "/h/.aws/credentials";

fn config(text: &str) -> ProfileFile {
    match parse_config_file(Path::new(CONFIG), text) {
        Ok(file) => file,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

fn credentials(text: &str) -> ProfileFile {
    match parse_credentials_file(Path::new(CREDENTIALS), text) {
        Ok(file) => file,
        Err(e) => panic!("{text:?} should parse: {e}"),
    }
}

fn config_error(text: &str) -> ConfigError {
    match parse_config_file(Path::new(CONFIG), text) {
        Ok(file) => panic!("{text:?} should not parse, got {file:?}"),
        Err(e) => e,
    }
}

/// Each profile as `name -> {key: value}`.
fn profiles(file: &ProfileFile) -> BTreeMap<String, BTreeMap<String, String>> {
    file.profiles
        .iter()
        .map(|(name, section)| (name.clone(), values(section)))
        .collect()
}

fn values(section: &Section) -> BTreeMap<String, String> {
    section
        .properties()
        .map(|p| (p.key().to_owned(), p.value().to_owned()))
        .collect()
}

fn map<const N: usize>(pairs: [(&str, &str); N]) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn one<const N: usize>(
    name: &str,
    pairs: [(&str, &str); N],
) -> BTreeMap<String, BTreeMap<String, String>> {
    BTreeMap::from([(name.to_owned(), map(pairs))])
}

#[test]
fn empty_files_and_empty_profiles() {
    assert!(profiles(&config("")).is_empty());
    assert_eq!(profiles(&config("[profile foo]")), one("foo", []));
    assert_eq!(
        profiles(&config("[profile foo]\n[profile bar]")).len(),
        2,
        "several empty profiles"
    );
}

#[test]
fn profile_names_allow_the_identifier_characters_and_ignore_others() {
    let file = config("[profile some-thing:long/the_one%only.foo@bar+]\n[profile foo!bar]\n[profile in valid]\nx = 1");
    assert_eq!(
        file.profile_names().collect::<Vec<_>>(),
        ["some-thing:long/the_one%only.foo@bar+"]
    );
    let ignored: Vec<_> = file
        .ignored_sections()
        .iter()
        .map(|s| (s.header(), s.line()))
        .collect();
    assert_eq!(ignored, [("profile foo!bar", 2), ("profile in valid", 3)]);
    // Names are case-sensitive.
    let file = config("[profile Dev]\nregion = a");
    assert!(file.profile("Dev").is_some());
    assert!(file.profile("dev").is_none());
}

#[test]
fn section_names_are_trimmed_and_tabs_separate_the_prefix() {
    assert_eq!(profiles(&config("[profile \tfoo \t]")), one("foo", []));
    assert_eq!(profiles(&config("[profile\tfoo]")), one("foo", []));
    assert_eq!(
        profiles(&config("[   profile foo    ]\nname = value")),
        one("foo", [("name", "value")])
    );
    assert_eq!(
        profiles(&credentials("[   foo    ]\nname = value")),
        one("foo", [("name", "value")])
    );
}

#[test]
fn profile_without_a_space_is_not_a_prefix() {
    let file = config("[profilefoo]\nname = value\n[profile bar]");
    assert_eq!(profiles(&file), one("bar", []));
    let file = credentials("[sso-sessionfoo]\nname = value\n[bar]");
    assert_eq!(
        file.profile_names().collect::<Vec<_>>(),
        ["bar", "sso-sessionfoo"]
    );
}

#[test]
fn config_file_needs_the_profile_prefix_except_for_default() {
    let file = config("[foo]\nname = value\n[default]\nregion = r");
    assert_eq!(profiles(&file), one("default", [("region", "r")]));
    assert_eq!(file.ignored_sections().len(), 1);
    assert_eq!(file.ignored_sections()[0].header(), "foo");
}

#[test]
fn credentials_file_ignores_prefixed_sections() {
    let file = credentials("[profile foo]\nname = value\n[sso-session s]\nx = y\n[foo2]\na = b");
    assert_eq!(profiles(&file), one("foo2", [("a", "b")]));
    assert!(file.section("sso-session", "s").is_none());
    assert_eq!(file.ignored_sections().len(), 2);
}

#[test]
fn properties_keys_and_values() {
    let file = config(
        "[profile foo]\nname \t=  \tvalue \t\nequals = val=ue\nemoji = 😂\nempty =\nABc-_/.%@:+9 = DEF",
    );
    assert_eq!(
        profiles(&file),
        one(
            "foo",
            [
                ("name", "value"),
                ("equals", "val=ue"),
                ("emoji", "😂"),
                ("empty", ""),
                ("abc-_/.%@:+9", "DEF"),
            ]
        )
    );
}

#[test]
fn keys_are_case_insensitive_and_the_last_one_wins() {
    let file = config("[profile foo]\nName = value\nREGION = a\n[profile foo]\nname = value2");
    let foo = file.profile("foo").map(values);
    assert_eq!(foo, Some(map([("name", "value2"), ("region", "a")])));
    let foo = file.profile("foo");
    assert_eq!(foo.and_then(|p| p.get("Region")), Some("a"));
    assert_eq!(foo.and_then(|p| p.get("NAME")), Some("value2"));
}

#[test]
fn invalid_property_names_are_ignored() {
    assert_eq!(
        profiles(&config("[profile foo]\nin valid = value")),
        one("foo", [])
    );
}

#[test]
fn windows_line_endings_and_a_byte_order_mark() {
    let file = config("\u{feff}[profile foo]\r\nname = value\r\n");
    assert_eq!(profiles(&file), one("foo", [("name", "value")]));
}

#[test]
fn blank_lines_are_ignored() {
    let file = config("\t \n[profile foo]\n\t\n \nname = value\n\t \n[profile bar]\n \t");
    assert_eq!(
        file.profile("foo").map(values),
        Some(map([("name", "value")]))
    );
    assert_eq!(file.profile("bar").map(values), Some(map([])));
}

#[test]
fn comments() {
    // Full-line, after headers (adjacent or not) and after values (only after a blank).
    let cases = [
        "# Comment\n[profile foo] # Comment\nname = value # Comment with # sign",
        "; Comment\n[profile foo] ; Comment\nname = value ; Comment with ; sign",
        "# Comment\n[profile foo]; Comment\nname = value # Comment with ; sign",
        ";\n[profile foo];\nname = value ;\n",
        "[profile foo]# Adjacent\n  # indented comment line\n\t; another\nname = value\t# tab before",
    ];
    for text in cases {
        assert_eq!(
            profiles(&config(text)),
            one("foo", [("name", "value")]),
            "{text:?}"
        );
    }
    let file = config(
        "[profile foo]\nname = value; Adjacent\nname2 = value# Adjacent\nurl = http://h/#frag",
    );
    assert_eq!(
        profiles(&file),
        one(
            "foo",
            [
                ("name", "value; Adjacent"),
                ("name2", "value# Adjacent"),
                ("url", "http://h/#frag"),
            ]
        )
    );
}

#[test]
fn continuation_lines() {
    let file = config("[profile foo]\nname = value\n -continued\n \t -and-continued \t ");
    assert_eq!(
        profiles(&file),
        one("foo", [("name", "value\n-continued\n-and-continued")])
    );
    // Comment characters inside a continuation are part of the value.
    let file = config("[profile foo]\nname = value\n -continued # Comment\n -more ; Comment");
    assert_eq!(
        profiles(&file),
        one(
            "foo",
            [("name", "value\n-continued # Comment\n-more ; Comment")]
        )
    );
}

#[test]
fn sub_properties() {
    let file = config(
        "[services dev]\nelasticache =\n  endpoint_url = http://localhost:4566/?a=b # note\n\t \n  Other = x\ns3 =\n  name =\n  in valid = v",
    );
    let dev = file.section("services", "dev");
    let Some(dev) = dev else {
        panic!("no services section in {file:?}")
    };
    let elasticache = dev.property("elasticache");
    assert_eq!(
        elasticache.map(Property::value),
        Some("\nendpoint_url = http://localhost:4566/?a=b # note\nOther = x")
    );
    assert_eq!(
        elasticache.and_then(|p| p.sub_property("ENDPOINT_URL")),
        Some("http://localhost:4566/?a=b")
    );
    assert_eq!(elasticache.and_then(|p| p.sub_property("other")), Some("x"));
    let lines: Vec<_> = elasticache
        .map(|p| p.sub_properties().iter().map(SubProperty::line).collect())
        .unwrap_or_default();
    assert_eq!(lines, [3, 5]);
    let s3 = dev.property("s3");
    assert_eq!(s3.map(Property::value), Some("\nname =\nin valid = v"));
    assert_eq!(s3.and_then(|p| p.sub_property("name")), Some(""));
    assert_eq!(s3.and_then(|p| p.sub_property("in valid")), None);
}

#[test]
fn sections_other_than_profiles() {
    let file = config("[sso-session foo]\nsso_region = us-east-1\n[profile bar]\n[services svc]\nx =\n  y = z\n[custom thing]\nk = v");
    assert_eq!(profiles(&file), one("bar", []));
    assert_eq!(
        file.section("sso-session", "foo").map(values),
        Some(map([("sso_region", "us-east-1")]))
    );
    assert_eq!(
        file.section("custom", "thing").map(values),
        Some(map([("k", "v")]))
    );
    assert!(file.section("services", "svc").is_some());
    let files = ProfileFiles::parse(
        CONFIG,
        Some("[sso-session foo]\na = b\n[services svc]"),
        CREDENTIALS,
        None,
    );
    let Ok(files) = files else {
        panic!("{files:?}")
    };
    assert!(files.sso_session("foo").is_some());
    assert!(files.services("svc").is_some());
    assert!(files.services("foo").is_none());
}

#[test]
fn duplicate_sections_merge_and_the_last_value_wins() {
    let file = config(
        "[profile foo]\nname = value\n[profile foo]\nname2 = value2\n[profile foo]\nname = value3",
    );
    assert_eq!(
        profiles(&file),
        one("foo", [("name", "value3"), ("name2", "value2")])
    );
}

#[test]
fn profile_default_replaces_default_in_the_config_file() {
    for text in [
        "[profile default]\nname = value\n[default]\nname2 = value2",
        "[default]\nname2 = value2\n[profile default]\nname = value",
    ] {
        assert_eq!(
            profiles(&config(text)),
            one("default", [("name", "value")]),
            "{text:?}"
        );
    }
    let text = "[profile default]\nname = value\n[default]\nname2 = value2\n[profile default]\nname3 = value3";
    assert_eq!(
        profiles(&config(text)),
        one("default", [("name", "value"), ("name3", "value3")])
    );
    let files = ProfileFiles::parse(
        CONFIG,
        Some(text),
        CREDENTIALS,
        Some("[default]\nsecret=foo"),
    );
    let Ok(files) = files else {
        panic!("{files:?}")
    };
    assert_eq!(
        files.profile("default").map(|p| values(&p)),
        Some(map([
            ("name", "value"),
            ("name3", "value3"),
            ("secret", "foo")
        ]))
    );
}

#[test]
fn profiles_merge_across_files_and_credentials_win() {
    let files = ProfileFiles::parse(
        CONFIG,
        Some("[profile foo]\nname = value\nregion = a\n[profile only-config]"),
        CREDENTIALS,
        Some("[foo]\nname2 = value2\nregion = b\n[only-credentials]"),
    );
    let Ok(files) = files else {
        panic!("{files:?}")
    };
    let foo = files.profile("foo");
    assert_eq!(
        foo.as_ref().map(values),
        Some(map([
            ("name", "value"),
            ("name2", "value2"),
            ("region", "b")
        ]))
    );
    let region = foo.as_ref().and_then(|p| p.property("region"));
    assert_eq!(region.map(Property::path), Some(Path::new(CREDENTIALS)));
    assert_eq!(region.map(Property::line), Some(3));
    assert_eq!(
        foo.as_ref()
            .and_then(|p| p.property("name"))
            .map(Property::path),
        Some(Path::new(CONFIG))
    );
    assert_eq!(
        files.profile_names().into_iter().collect::<Vec<_>>(),
        ["foo", "only-config", "only-credentials"]
    );
    assert!(files.profile("missing").is_none());
}

#[test]
fn syntax_errors_name_the_file_and_line() {
    let cases = [
        ("[profile foo", 1, "a section header must end with `]`"),
        (
            "[profile foo]\n\n[profile a#b]",
            3,
            "a section header must end with `]`",
        ),
        (
            "name = value",
            1,
            "a property must follow a section header such as `[default]`",
        ),
        (
            "# c\ngarbage",
            2,
            "a property must follow a section header such as `[default]`",
        ),
        (
            "[profile foo]\n= value",
            2,
            "a property needs a name before its `=`",
        ),
        (
            "[profile foo]\nkey : value",
            2,
            "expected `key = value`, found no `=`",
        ),
        (
            " -continued",
            1,
            "an indented line must continue a property, but no section header precedes it",
        ),
        (
            "[profile foo]\n -continued",
            2,
            "an indented line must continue a property, but its section has none before it",
        ),
        (
            "[profile foo]\nname = value\n[profile foo]\n -continued",
            4,
            "an indented line must continue a property, but its section has none before it",
        ),
        (
            "[profile foo]\ns3 =\n invalid",
            3,
            "expected `key = value`, found no `=` (in a sub-property)",
        ),
        (
            "[profile foo]\ns3 =\n = value",
            3,
            "a property needs a name before its `=` (in a sub-property)",
        ),
    ];
    for (text, line, problem) in cases {
        let e = config_error(text);
        assert_eq!(
            e.to_string(),
            format!("syntax error in {CONFIG} on line {line}: {problem}"),
            "{text:?}"
        );
        assert_eq!(e.kind(), ConfigErrorKind::Syntax);
        assert_eq!(e.path(), Some(Path::new(CONFIG)));
        assert_eq!(e.line(), Some(line));
    }
}

#[test]
fn syntax_errors_never_repeat_the_line() {
    let e = config_error("[default]\naws_secret_access_key : SECRETSECRET");
    assert!(!format!("{e} {e:?}").contains("SECRETSECRET"));
}

#[test]
fn debug_redacts_secret_values() {
    let file = credentials(
        "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = SECRETSECRET\naws_session_token = TOKENTOKEN\nnested =\n  client_secret = SUBSECRET",
    );
    let files = ProfileFiles::parse(
        CONFIG,
        None,
        CREDENTIALS,
        Some("[default]\naws_secret_access_key = SECRETSECRET"),
    );
    let shown = format!("{file:?} {:?} {files:?}", file.profile("default"));
    assert!(shown.contains("AKIDEXAMPLE"), "{shown}");
    assert!(shown.contains(crate::REDACTED), "{shown}");
    for secret in ["SECRETSECRET", "TOKENTOKEN", "SUBSECRET"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn home_expansion() {
    let home = Some(Path::new("/home/u"));
    let expand = |p: &str, home| match expand_home(Path::new(p), home) {
        Expanded::Path(p) => Some(p),
        Expanded::NoHome => None,
    };
    assert_eq!(expand("~", home), Some(PathBuf::from("/home/u")));
    assert_eq!(
        expand("~/x/config", home),
        Some(PathBuf::from("/home/u/x/config"))
    );
    assert_eq!(expand("~user/x", home), Some(PathBuf::from("~user/x")));
    assert_eq!(expand("/etc/~/x", home), Some(PathBuf::from("/etc/~/x")));
    assert_eq!(expand("~/x", None), None);
    assert_eq!(expand("rel/x", None), Some(PathBuf::from("rel/x")));
}

#[test]
fn file_paths_from_the_environment() {
    let env = Env::from_pairs([("HOME", "/home/u")]);
    assert_eq!(
        config_file_path(&env),
        Ok(Some(PathBuf::from("/home/u/.aws/config")))
    );
    assert_eq!(
        credentials_file_path(&env),
        Ok(Some(PathBuf::from("/home/u/.aws/credentials")))
    );
    let env = Env::from_pairs([
        ("HOME", "/home/u"),
        ("AWS_CONFIG_FILE", "~/cfg"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/etc/creds"),
    ]);
    assert_eq!(
        config_file_path(&env),
        Ok(Some(PathBuf::from("/home/u/cfg")))
    );
    assert_eq!(
        credentials_file_path(&env),
        Ok(Some(PathBuf::from("/etc/creds")))
    );
    let env = Env::from_pairs([("AWS_CONFIG_FILE", "")]).with_home("/w");
    assert_eq!(
        config_file_path(&env),
        Ok(Some(PathBuf::from("/w/.aws/config")))
    );
    let no_home = Env::from_pairs([("AWS_CONFIG_FILE", "/etc/cfg")]);
    assert_eq!(
        config_file_path(&no_home),
        Ok(Some(PathBuf::from("/etc/cfg")))
    );
    assert_eq!(credentials_file_path(&no_home), Ok(None));
    let e = config_file_path(&Env::from_pairs([("AWS_CONFIG_FILE", "~/cfg")]));
    let Err(e) = e else { panic!("{e:?}") };
    assert_eq!(
        e.to_string(),
        "AWS_CONFIG_FILE is \"~/cfg\", which starts with `~`, but no home directory is known (HOME is not set)"
    );
    assert_eq!(e.kind(), ConfigErrorKind::NoHomeDirectory);
    assert_eq!(e.variable(), Some("AWS_CONFIG_FILE"));
}

#[test]
fn without_a_home_the_default_files_are_absent() {
    let files = ProfileFiles::load(&Env::from_pairs::<[(&str, &str); 0], _, _>([]));
    let Ok(files) = files else {
        panic!("{files:?}")
    };
    assert_eq!(files.config_path(), Path::new("~/.aws/config"));
    assert_eq!(files.credentials_path(), Path::new("~/.aws/credentials"));
    assert!(files.config_file().is_none() && files.credentials_file().is_none());
}

/// Never panics, whatever the text: random lines built from the characters and words
/// that mean something to the parser, plus some fixed nasty cases.
#[test]
fn arbitrary_text_never_panics() {
    let fixed = [
        "[",
        "]",
        "[]",
        "[ ]",
        "=",
        " =",
        "[default]\n=",
        "[default]\n =",
        "[default]\n\t=\n",
        "[default]\na=\n =",
        "[default]\na =\n b",
        "[profile]",
        "[profile ]",
        "[ profile  default ]",
        "\u{feff}",
        "\r",
        "\r\n\r\n",
        "[default]\r\na = b\r",
        "[default]\na = \u{0}\n \u{0}",
        "[d\u{e9}fault]\n\u{e9} = \u{1f602}",
        "[profile \u{1f602}]",
        "#[default]",
        ";\n;\n",
        "[default]\na = b\n  \n  c",
        "[services x]\n=\n",
        "[default]a",
        "[default] ] [",
    ];
    let tokens = [
        "[",
        "]",
        "=",
        "#",
        ";",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "profile",
        "default",
        "services",
        "sso-session",
        "a",
        "key",
        "value",
        "\u{e9}",
        "\u{1f602}",
        "\u{feff}",
        "\u{0}",
        "~",
        "endpoint_url",
        "aws_secret_access_key",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut texts: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    for _ in 0..3000 {
        let len = next() % 40;
        let text: String = (0..len)
            .map(|_| tokens[(next() % tokens.len() as u64) as usize])
            .collect();
        texts.push(text);
    }
    for text in &texts {
        for kind in [FileKind::Config, FileKind::Credentials] {
            if let Ok(file) = parse_file(kind, Path::new("/x"), text) {
                let _ = format!("{file:?}");
            }
        }
        let files = ProfileFiles::parse(CONFIG, Some(text), CREDENTIALS, Some(text));
        if let Ok(files) = files {
            for name in files.profile_names() {
                let _ = files.profile(name);
            }
        }
    }
}
