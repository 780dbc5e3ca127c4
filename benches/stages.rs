//! One bench per pipeline stage, on the seed dispatch: `cargo bench`.

use std::sync::OnceLock;

use depeche::render::Format;
use depeche::{Context, DecodeOptions, Options, Resources};

fn main() {
    divan::main();
}

const SEED: &[u8] = include_bytes!("../samples/afp-lavrov-wonsan.txt");

fn res() -> &'static Resources {
    static R: OnceLock<Resources> = OnceLock::new();
    R.get_or_init(|| Resources::embedded().expect("embedded data"))
}

#[divan::bench]
fn resources_embedded() -> Resources {
    Resources::embedded().expect("embedded data")
}

#[divan::bench]
fn decode(b: divan::Bencher) {
    b.counter(divan::counter::BytesCount::new(SEED.len()))
        .bench(|| depeche::input::decode(divan::black_box(SEED), &DecodeOptions::default()));
}

#[divan::bench]
fn parse(b: divan::Bencher) {
    let text = depeche::input::decode(SEED, &DecodeOptions::default()).unwrap();
    b.counter(divan::counter::BytesCount::new(SEED.len()))
        .bench(|| depeche::parse::parse(divan::black_box(&text), res()));
}

#[divan::bench]
fn extract(b: divan::Bencher) {
    let text = depeche::input::decode(SEED, &DecodeOptions::default()).unwrap();
    let doc = depeche::parse::parse(&text, res());
    let ctx = Context {
        date: None,
        summary_sentences: 2,
    };
    b.counter(divan::counter::BytesCount::new(SEED.len()))
        .bench(|| depeche::extract::extract(divan::black_box(&doc), res(), &ctx));
}

#[divan::bench]
fn render_json(b: divan::Bencher) {
    let a = depeche::analyze(SEED, res(), &Options::default()).unwrap();
    b.bench(|| {
        let mut out = Vec::with_capacity(1 << 16);
        depeche::render::render(
            divan::black_box(&a),
            Format::Json { pretty: false },
            &mut out,
        )
        .unwrap();
        out
    });
}

#[divan::bench]
fn analyze_whole(b: divan::Bencher) {
    b.counter(divan::counter::BytesCount::new(SEED.len()))
        .bench(|| depeche::analyze(divan::black_box(SEED), res(), &Options::default()));
}

/// Quote attribution alone (marks, cues, frames, resolution, continuation), on the people and
/// organisations the earlier extractors found: compare with `analyze_whole`.
#[divan::bench]
fn quotes(b: divan::Bencher) {
    let text = depeche::input::decode(SEED, &DecodeOptions::default()).unwrap();
    let doc = depeche::parse::parse(&text, res());
    let ctx = Context {
        date: None,
        summary_sentences: 2,
    };
    let a = depeche::extract::extract(&doc, res(), &ctx);
    b.counter(divan::counter::BytesCount::new(SEED.len()))
        .bench(|| {
            depeche::extract::quotes::extract_quotes(
                divan::black_box(&doc),
                &a.people,
                &a.organizations,
                &res().quotes,
            )
        });
}

/// `--format html` of the seed: compare with `render_json` (target: at most 2×).
#[divan::bench]
fn render_html(b: divan::Bencher) {
    let a = depeche::analyze(SEED, res(), &Options::default()).unwrap();
    b.bench(|| {
        let mut out = Vec::with_capacity(1 << 16);
        depeche::render::render(divan::black_box(&a), Format::Html, &mut out).unwrap();
        out
    });
}

/// `--report`: folding one analysis into the corpus totals (compare with `analyze_whole`).
#[divan::bench]
fn report_add(b: divan::Bencher) {
    let a = depeche::analyze(SEED, res(), &Options::default()).unwrap();
    let mut report = depeche::render::report::Report::new();
    b.bench_local(|| report.add(divan::black_box(&a)));
}
