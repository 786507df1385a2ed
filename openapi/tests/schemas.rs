//! `docs/schemas/` holds exactly what the code writes: one file per internal contract's side
//! and per message, none stale.

use std::{collections::BTreeSet, fs, path::Path};

#[test]
fn the_committed_schemas_are_the_ones_the_code_writes() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/schemas"));
    let fresh = vitrina_openapi::schemas::all();
    let mut differ = Vec::new();
    for (name, schema) in &fresh {
        let committed = fs::read_to_string(dir.join(format!("{name}.json"))).unwrap_or_default();
        if committed != vitrina_openapi::schemas::text(schema) {
            differ.push(name.clone());
        }
    }
    let written: BTreeSet<String> = fresh.iter().map(|(name, _)| name.clone()).collect();
    for sub in ["functions", "messages"] {
        for entry in fs::read_dir(dir.join(sub)).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().replace(".json", "");
            if !written.contains(&format!("{sub}/{name}")) {
                differ.push(format!("{sub}/{name} (stale)"));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "docs/schemas/ differs from what the code writes — run `make openapi` and commit: {differ:#?}"
    );
}

#[test]
fn every_message_is_an_envelope_of_its_own_type() {
    for (name, schema) in vitrina_openapi::schemas::all() {
        let Some(kind) = name.strip_prefix("messages/") else {
            continue;
        };
        assert_eq!(schema["properties"]["type"]["const"], kind, "{name}");
        let required: BTreeSet<&str> = schema["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        for field in [
            "id",
            "type",
            "version",
            "occurredAt",
            "correlationId",
            "payload",
        ] {
            assert!(required.contains(field), "{name} lacks {field}");
        }
    }
}
