//! JSON and GeoJSON output. The contract is documented in `docs/output-format.md`.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::model::Analysis;

pub fn write(analysis: &Analysis, pretty: bool, out: &mut dyn Write) -> io::Result<()> {
    write_value(analysis, pretty, out)
}

/// Room for a typical analysis (about 8 KB of compact JSON), so that the buffer seldom grows.
const OUTPUT_CAPACITY: usize = 16 * 1024;

pub fn write_value<T: serde::Serialize>(
    value: &T,
    pretty: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    // serde_json writes a few bytes at a time: into a `dyn Write` each is a virtual call to
    // `write_all`, a quarter of the serialisation's instructions; into a `Vec` it is inlined.
    let mut buf = Vec::with_capacity(OUTPUT_CAPACITY);
    let result = if pretty {
        serde_json::to_writer_pretty(&mut buf, value)
    } else {
        serde_json::to_writer(&mut buf, value)
    };
    result.map_err(io::Error::from)?;
    buf.push(b'\n');
    out.write_all(&buf)
}

/// The JSON Schema of what [`write`] prints. Generated for serialisation, so that a field
/// skipped when empty (`as_actor`, `references`, `text`, `meta`) is optional while every field
/// always written, `null` included, is required: real output validates against it.
pub fn schema() -> schemars::Schema {
    schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<Analysis>()
}

/// One Point feature per place with coordinates.
pub fn geojson(analysis: &Analysis) -> Value {
    let features: Vec<Value> = analysis
        .places
        .iter()
        .filter_map(|p| {
            let (lat, lon) = (p.lat?, p.lon?);
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "name": p.name, "kind": p.kind, "country": p.country,
                    "count": p.count, "geonames_id": p.geonames_id,
                    "file": analysis.file, "id": analysis.id,
                },
            }))
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

pub fn write_geojson(analysis: &Analysis, pretty: bool, out: &mut dyn Write) -> io::Result<()> {
    write_value(&geojson(analysis), pretty, out)
}
