//! `cargo xtask sync-spec`: rebuild `openapi.json` from the docs site.
//!
//! index (llms.txt) ─► operation pages ─► `yaml openapi.json` blocks ─► merge ─► check it
//! generates ─► diff against the previous surface ─► write atomically (or `--check`).

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use pilot_status_codegen::design::{Design, StaleEntry, Unnamed};
use pilot_status_codegen::diff::{self, Report};
use pilot_status_codegen::docs::{self, DocsError, Fragment, Index, PageKind};
use pilot_status_codegen::merge::{self, Conflict};
use pilot_status_codegen::overlay::{self, MaskedChange, Overlay, StaleAction};
use pilot_status_codegen::{Generated, SpecError, document};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use crate::fetch::{FetchError, FetchOptions, Page, Source};

/// The live docs index.
pub const DEFAULT_INDEX: &str = "https://docs.pilotstatus.com.br/llms.txt";

/// How a sync reports progress while fetching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// An indicatif bar (on a terminal).
    Bar,
    /// One line per page (in logs).
    Lines,
    /// Nothing (tests).
    Quiet,
}

/// What `sync-spec` was asked to do.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The index URL. With `from_dir`, it names the site the mirror copies.
    pub index: Url,
    /// Read the site from this mirror directory instead of the network.
    pub from_dir: Option<PathBuf>,
    /// Write nothing; report whether anything would change.
    pub check: bool,
    /// Fetch settings.
    pub fetch: FetchOptions,
    /// The spec to rewrite.
    pub spec_path: PathBuf,
    /// The provenance file beside it.
    pub sources_path: PathBuf,
    /// The reviewed corrections re-applied after the sync.
    pub overlays_dir: PathBuf,
    /// The designed surface (names, resources) re-applied after the sync.
    pub design_dir: PathBuf,
    /// Treat an overlay action or a design entry that matches nothing as an error.
    pub strict: bool,
    /// Write the synced spec even when it does not generate a client (the sync still fails,
    /// naming why): for the scheduled job, whose pull request must show the change.
    pub write_unbuildable: bool,
    /// Progress display.
    pub progress: Progress,
}

impl SyncOptions {
    /// Options for the repository at `root` with default settings.
    pub fn for_repository(root: &Path) -> Self {
        Self {
            index: Url::parse(DEFAULT_INDEX).expect("DEFAULT_INDEX is a valid URL"),
            from_dir: None,
            check: false,
            fetch: FetchOptions::default(),
            spec_path: root.join("openapi.json"),
            sources_path: root.join("openapi.sources.json"),
            overlays_dir: root.join("overlays"),
            design_dir: root.join("design"),
            strict: false,
            write_unbuildable: false,
            progress: Progress::Quiet,
        }
    }
}

/// Why a sync stopped. Nothing is written when it does, except with `write_unbuildable`
/// ([`SyncError::GenerateWritten`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The index could not be fetched.
    #[error("cannot get the docs index {url}: {source}")]
    Index {
        /// The index URL.
        url: String,
        /// Why.
        #[source]
        source: FetchError,
    },
    /// The index lists no operation page.
    #[error("the docs index {url} lists no operation page (of {links} links: {kinds})")]
    NoOperationPages {
        /// The index URL.
        url: String,
        /// How many links it has.
        links: usize,
        /// What they are.
        kinds: String,
    },
    /// Some pages could not be fetched.
    #[error("{} page{} could not be fetched:\n{}", failures.len(), if failures.len() == 1 { "" } else { "s" },
        failures.iter().map(|(url, e)| format!("  {url}: {e}")).collect::<Vec<_>>().join("\n"))]
    Pages {
        /// Each failed page and why.
        failures: Vec<(Url, FetchError)>,
    },
    /// A page's block is unusable.
    #[error(transparent)]
    Page(#[from] DocsError),
    /// The operation pages hold no `openapi.json` block at all.
    #[error("none of the {pages} operation pages holds a `yaml openapi.json` block")]
    NoOperations {
        /// How many pages were read.
        pages: usize,
    },
    /// Two pages define the same thing differently.
    #[error("conflicting fragments: {0}")]
    Conflict(#[from] Conflict),
    /// The merged spec does not generate a client.
    #[error(
        "the synced spec cannot be generated: {0}\n{1}(nothing was written; correct it with an overlay, then sync again)"
    )]
    Generate(#[source] SpecError, Outline),
    /// The merged spec does not generate a client, and was written anyway
    /// (`write_unbuildable`).
    #[error(
        "the synced spec cannot be generated: {0}\n{1}(written anyway, --write-unbuildable: the build fails until an overlay or a design entry corrects it)"
    )]
    GenerateWritten(#[source] SpecError, Outline),
    /// The overlays could not be read.
    #[error("cannot read the overlays: {0}")]
    Overlays(#[source] SpecError),
    /// The designed surface could not be read.
    #[error("cannot read the design: {0}")]
    Design(#[source] SpecError),
    /// `--strict`: some overlay actions or design entries match nothing in the synced spec.
    #[error("{} anything (--strict):\n{}\n(nothing was written; remove or retarget them)",
        stale_counts(stale.len(), design.len()),
        stale.iter().map(|s| format!("  {s}")).chain(design.iter().map(|s| format!("  {s}"))).collect::<Vec<_>>().join("\n"))]
    StaleOverlays {
        /// The stale actions.
        stale: Vec<StaleAction>,
        /// The stale design entries.
        design: Vec<StaleEntry>,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// What upstream changed in its operations, when the synced spec does not generate: read
/// from the previous and the synced upstream documents alone ([`diff::outline`]), each line
/// classified.
#[derive(Debug, Clone, Default)]
pub struct Outline(pub Vec<diff::Change>);

impl fmt::Display for Outline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        writeln!(
            f,
            "upstream changes to its operations (from the documents alone):"
        )?;
        for change in &self.0 {
            let mark = if change.breaking { "  [BREAKING]" } else { "" };
            writeln!(f, "  {} {}{mark}", change.sign, change.text)?;
        }
        Ok(())
    }
}

/// What the index held and what was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Links by kind.
    pub links: BTreeMap<PageKind, usize>,
    /// Operation pages fetched.
    pub pages: usize,
    /// Retries spent on them.
    pub retries: u32,
    /// Operations found.
    pub operations: usize,
    /// Operation pages without an `openapi.json` block (skipped).
    pub without_block: Vec<String>,
    /// Webhook events the events page names.
    pub events: usize,
    /// Of them, those it shows a body of.
    pub event_examples: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total: usize = self.links.values().sum();
        let kinds: Vec<String> = self
            .links
            .iter()
            .map(|(kind, n)| counted(*n, kind))
            .collect();
        writeln!(f, "index: {total} links ({})", kinds.join(", "))?;
        writeln!(
            f,
            "read {} operation pages ({} retries): {} operations",
            self.pages, self.retries, self.operations
        )?;
        writeln!(
            f,
            "read the webhook events page: {} events, {} with an example body",
            self.events, self.event_examples
        )?;
        if !self.without_block.is_empty() {
            writeln!(
                f,
                "skipped {} page(s) without an openapi.json block:",
                self.without_block.len()
            )?;
            for page in &self.without_block {
                writeln!(f, "  {page}")?;
            }
        }
        Ok(())
    }
}

/// `1 prose page`, `2 prose pages`.
fn counted(n: usize, kind: &PageKind) -> String {
    format!("{n} {kind}{}", if n == 1 { "" } else { "s" })
}

/// The result of a sync.
#[derive(Debug)]
pub struct SyncOutcome {
    /// What was read.
    pub summary: Summary,
    /// Surface changes against the previous spec.
    pub report: Report,
    /// Whether `openapi.json` differs from what the docs give.
    pub spec_changed: bool,
    /// Whether `openapi.sources.json` differs.
    pub sources_changed: bool,
    /// Whether files were written (never with `--check`).
    pub written: bool,
    /// The snapshot files that will change, relative to the repository.
    pub snapshots: Vec<&'static str>,
    /// The lines of the surface snapshot that change (`-old`/`+new`, with a line of
    /// context around each run), empty when it does not change.
    pub surface_diff: String,
    /// The lines of the events snapshot that change, the same way.
    pub events_diff: String,
    /// Why the previous spec could not be compared, if it could not.
    pub previous_problem: Option<String>,
    /// Overlay actions that match nothing in the synced spec (warnings).
    pub stale: Vec<StaleAction>,
    /// Design entries that match nothing in the synced spec (warnings).
    pub stale_design: Vec<StaleEntry>,
    /// Operations of the synced spec that `design/operations.yaml` does not name: they
    /// generate under derived names until someone names them.
    pub unnamed: Vec<Unnamed>,
    /// Public type and variant names the generator derived, which no reviewed entry gives
    /// (`Surface::derived_names`): to name in `design/models.yaml`.
    pub derived: Vec<String>,
    /// Upstream changes an overlay action covers up (warnings).
    pub masked: Vec<MaskedChange>,
}

impl SyncOutcome {
    /// Whether anything differs from what is on disk.
    pub fn changed(&self) -> bool {
        self.spec_changed || self.sources_changed
    }

    /// Whether a reviewed layer no longer matches upstream: an overlay action or a design
    /// entry (a model difference upstream now states itself or contradicts, a member or
    /// place that is gone).
    pub fn needs_review(&self) -> bool {
        !(self.stale.is_empty() && self.stale_design.is_empty() && self.masked.is_empty())
    }
}

/// "1 overlay action no longer matches", "2 design entries no longer match", or both joined
/// by "and".
fn stale_counts(overlays: usize, design: usize) -> String {
    let mut parts = Vec::new();
    if overlays > 0 {
        parts.push(format!(
            "{overlays} overlay action{}",
            if overlays == 1 { "" } else { "s" }
        ));
    }
    if design > 0 {
        parts.push(format!(
            "{design} design entr{}",
            if design == 1 { "y" } else { "ies" }
        ));
    }
    let verb = if overlays + design == 1 {
        "no longer matches"
    } else {
        "no longer match"
    };
    format!("{} {verb}", parts.join(" and "))
}

/// The snapshot of the surface (`cargo xtask surface`).
pub const SURFACE_SNAPSHOT: &str = "tests/snapshots/surface__surface.snap";
/// The snapshot of the whole generated code.
pub const CODE_SNAPSHOT: &str = "tests/snapshots/surface__generated_code.snap";
/// The snapshot of the webhook events and their payload types (`cargo xtask surface
/// --events`).
pub const EVENTS_SNAPSHOT: &str = "tests/snapshots/surface__events.snap";

/// What the docs site holds: every spec fragment of its operation pages.
#[derive(Debug)]
pub struct SiteContents {
    /// What the index listed and what was read.
    pub summary: Summary,
    /// The fragments, in page order.
    pub fragments: Vec<Fragment>,
}

/// Reads the index and every operation page, and extracts their fragments.
pub async fn read_site(options: &SyncOptions) -> Result<SiteContents, SyncError> {
    let source = match &options.from_dir {
        Some(dir) => Source::Dir(dir.clone()),
        None => Source::http().map_err(|source| SyncError::Index {
            url: options.index.to_string(),
            source,
        })?,
    };
    let index_page = source
        .get(&options.index, &options.fetch)
        .await
        .map_err(|source| SyncError::Index {
            url: options.index.to_string(),
            source,
        })?;
    let index = Index::parse(&index_page.text, &options.index);

    let mut summary = Summary::default();
    let mut pages: Vec<Url> = Vec::new();
    let mut events_pages: Vec<Url> = Vec::new();
    for link in &index.links {
        let kind = link.kind(&options.index);
        *summary.links.entry(kind).or_default() += 1;
        match kind {
            PageKind::Operation => pages.push(docs::index::markdown_url(&link.url)),
            PageKind::Events => events_pages.push(docs::index::markdown_url(&link.url)),
            _ => {}
        }
    }
    pages.sort();
    pages.dedup();
    events_pages.sort();
    events_pages.dedup();
    if pages.is_empty() {
        let kinds: Vec<String> = summary.links.iter().map(|(k, n)| counted(*n, k)).collect();
        return Err(SyncError::NoOperationPages {
            url: options.index.to_string(),
            links: index.links.len(),
            kinds: if kinds.is_empty() {
                "none".to_owned()
            } else {
                kinds.join(", ")
            },
        });
    }

    let operation_pages = pages.len();
    pages.extend(events_pages.iter().cloned());
    let fetched = fetch_pages(&source, &pages, options).await?;
    summary.pages = operation_pages;
    summary.retries = fetched.iter().map(|(_, page)| page.attempts - 1).sum();

    let mut fragments: Vec<Fragment> = Vec::new();
    let mut events: Vec<Fragment> = Vec::new();
    for (url, page) in &fetched {
        if events_pages.contains(url) {
            events.extend(docs::events::fragment_of_page(url.as_str(), &page.text)?);
            continue;
        }
        let found = docs::fragments_of_page(url.as_str(), &page.text)?;
        if found.is_empty() {
            summary.without_block.push(url.to_string());
        }
        fragments.extend(found);
    }
    if fragments.is_empty() {
        return Err(SyncError::NoOperations {
            pages: fetched.len(),
        });
    }
    summary.operations = fragments.len();
    for fragment in &events {
        let webhooks = fragment.document.get("webhooks").and_then(Value::as_object);
        summary.events += webhooks.map_or(0, |w| w.len());
        summary.event_examples += webhooks.map_or(0, |w| {
            w.values()
                .filter(|event| event.pointer("/post/requestBody").is_some())
                .count()
        });
    }
    fragments.extend(events);
    Ok(SiteContents { summary, fragments })
}

/// Merges the fragments of the operation pages into one document.
pub fn merge_fragments(fragments: &[Fragment]) -> Result<Value, SyncError> {
    let sources: Vec<merge::Source<'_>> = fragments
        .iter()
        .map(|fragment| merge::Source {
            origin: &fragment.source,
            document: &fragment.document,
        })
        .collect();
    Ok(merge::merge(&sources)?)
}

/// Runs a sync.
pub async fn sync(options: &SyncOptions) -> Result<SyncOutcome, SyncError> {
    let SiteContents { summary, fragments } = read_site(options).await?;
    let merged = merge_fragments(&fragments)?;
    let spec_text = document::to_canonical_string(&merged);
    let sources_text = document::to_canonical_string(&provenance(&options.index, &fragments));

    let overlays = overlay::load_dir(&options.overlays_dir).map_err(SyncError::Overlays)?;
    let design = Design::load_dir(&options.design_dir).map_err(SyncError::Design)?;
    let (previous, previous_problem) = previous_generation(&options.spec_path, &overlays, &design);
    let comparison = match compare(previous.as_ref(), &merged, &overlays, &design) {
        Err(SyncError::Generate(error, outline)) if options.write_unbuildable && !options.check => {
            write_files(&[
                (true, &options.spec_path, &spec_text),
                (true, &options.sources_path, &sources_text),
            ])?;
            return Err(SyncError::GenerateWritten(error, outline));
        }
        other => other?,
    };
    if options.strict && !(comparison.stale.is_empty() && comparison.stale_design.is_empty()) {
        return Err(SyncError::StaleOverlays {
            stale: comparison.stale,
            design: comparison.stale_design,
        });
    }
    let Comparison {
        report,
        surface_diff,
        events_diff,
        snapshots,
        stale,
        stale_design,
        unnamed,
        derived,
        masked,
        generated: _,
    } = comparison;

    let spec_changed =
        std::fs::read_to_string(&options.spec_path).ok().as_deref() != Some(spec_text.as_str());
    let sources_changed = std::fs::read_to_string(&options.sources_path)
        .ok()
        .as_deref()
        != Some(sources_text.as_str());
    let mut written = false;
    if !options.check && (spec_changed || sources_changed) {
        write_files(&[
            (spec_changed, &options.spec_path, &spec_text),
            (sources_changed, &options.sources_path, &sources_text),
        ])?;
        written = true;
    }
    Ok(SyncOutcome {
        summary,
        report,
        spec_changed,
        sources_changed,
        written,
        snapshots,
        surface_diff,
        events_diff,
        previous_problem,
        stale,
        stale_design,
        unnamed,
        derived,
        masked,
    })
}

/// Writes the files marked changed: each is complete in a temporary file before any is
/// renamed into place.
fn write_files(files: &[(bool, &PathBuf, &String)]) -> Result<(), SyncError> {
    let staged = files
        .iter()
        .filter(|(changed, _, _)| *changed)
        .map(|(_, path, text)| stage(path, text).map(|temp| (temp, *path)))
        .collect::<Result<Vec<_>, _>>()?;
    for (temp, path) in staged {
        temp.commit(path)?;
    }
    Ok(())
}

/// The previous spec and what it generated: what a sync compares against.
#[derive(Debug, Clone)]
pub struct Previous {
    /// The previous `openapi.json`, as upstream served it.
    pub spec: Value,
    /// Its generation with the current overlays and design.
    pub generated: Generated,
}

/// A synced spec's generation, compared with the previous one.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// What the new spec generates.
    pub generated: Generated,
    /// Surface changes, renamed operations and upstream's changes at modelled places.
    pub report: Report,
    /// The changed lines of the surface snapshot, with context (empty: unchanged).
    pub surface_diff: String,
    /// The changed lines of the events snapshot, with context (empty: unchanged).
    pub events_diff: String,
    /// The snapshot files that will change.
    pub snapshots: Vec<&'static str>,
    /// Overlay actions that match nothing.
    pub stale: Vec<StaleAction>,
    /// Design entries that no longer match.
    pub stale_design: Vec<StaleEntry>,
    /// Operations the design does not name.
    pub unnamed: Vec<Unnamed>,
    /// Public names the generator derived, which no reviewed entry gives.
    pub derived: Vec<String>,
    /// Upstream changes an overlay action covers up.
    pub masked: Vec<MaskedChange>,
}

/// Generates `merged` with `overlays` and `design` and compares it with `previous`.
pub fn compare(
    previous: Option<&Previous>,
    merged: &Value,
    overlays: &[Overlay],
    design: &Design,
) -> Result<Comparison, SyncError> {
    let generated = pilot_status_codegen::generate(merged, overlays, design).map_err(|error| {
        let outline = previous
            .map(|previous| diff::outline(&previous.spec, merged))
            .unwrap_or_default();
        SyncError::Generate(error, Outline(outline))
    })?;
    let masked = previous
        .map(|p| overlay::masked_changes(&p.spec, merged, overlays))
        .unwrap_or_default();
    let report = match previous {
        Some(previous) => {
            let mut report = diff::report(&previous.generated, &generated, &design.models);
            report.contract = pilot_status_codegen::contract::changes(
                &previous.spec,
                merged,
                &previous.generated,
                &generated,
                &masked,
            );
            report
        }
        None => diff::diff(&Default::default(), &generated.surface),
    };
    let old_surface = previous.map(|p| p.generated.surface.to_string());
    let new_surface = generated.surface.to_string();
    let surface_diff = old_surface
        .as_deref()
        .map(|old| diff::text_diff(old, &new_surface))
        .unwrap_or_default();
    let mut snapshots = Vec::new();
    if old_surface.as_deref() != Some(new_surface.as_str()) {
        snapshots.push(SURFACE_SNAPSHOT);
    }
    if previous.map(|p| p.generated.code.as_str()) != Some(generated.code.as_str()) {
        snapshots.push(CODE_SNAPSHOT);
    }
    let old_events = previous.map(|p| p.generated.events_surface.as_str());
    let events_diff = old_events
        .map(|old| diff::text_diff(old, &generated.events_surface))
        .unwrap_or_default();
    if old_events != Some(generated.events_surface.as_str()) {
        snapshots.push(EVENTS_SNAPSHOT);
    }
    Ok(Comparison {
        report,
        surface_diff,
        events_diff,
        snapshots,
        stale: generated.prepared.stale.clone(),
        stale_design: generated
            .prepared
            .design
            .stale
            .iter()
            .chain(&generated.prepared.events.stale)
            .cloned()
            .collect(),
        unnamed: generated.prepared.design.unnamed.clone(),
        derived: generated.surface.derived_names(&design.models),
        masked,
        generated,
    })
}

async fn fetch_pages(
    source: &Source,
    pages: &[Url],
    options: &SyncOptions,
) -> Result<Vec<(Url, Page)>, SyncError> {
    let bar = match options.progress {
        Progress::Bar => {
            let bar = indicatif::ProgressBar::new(pages.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} fetching pages {bar:30} {pos}/{len} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            Some(bar)
        }
        _ => None,
    };
    let results = source
        .get_all(pages, &options.fetch, |url, result| {
            if let Some(bar) = &bar {
                bar.inc(1);
            } else if options.progress == Progress::Lines {
                match result {
                    Ok(page) if page.attempts > 1 => {
                        eprintln!("fetched {url} ({} attempts)", page.attempts)
                    }
                    Ok(_) => eprintln!("fetched {url}"),
                    Err(error) => eprintln!("failed  {url}: {error}"),
                }
            }
        })
        .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut fetched = Vec::new();
    let mut failures = Vec::new();
    for (url, result) in pages.iter().zip(results) {
        match result {
            Ok(page) => fetched.push((url.clone(), page)),
            Err(error) => failures.push((url.clone(), error)),
        }
    }
    if failures.is_empty() {
        Ok(fetched)
    } else {
        Err(SyncError::Pages { failures })
    }
}

/// `openapi.sources.json`: the index, and for each page the operation it gave and the
/// sha256 of its block. Nothing in it changes from one run to the next.
fn provenance(index: &Url, fragments: &[Fragment]) -> Value {
    let (events, fragments): (Vec<&Fragment>, Vec<&Fragment>) = fragments
        .iter()
        .partition(|fragment| fragment.document.get("paths").is_none());
    let webhooks: Vec<Value> = events
        .iter()
        .map(|fragment| {
            json!({
                "events": fragment.document.get("webhooks").and_then(Value::as_object)
                    .map(|w| w.keys().cloned().collect::<Vec<_>>()).unwrap_or_default(),
                "page": fragment.source,
                "sha256": hex(&Sha256::digest(fragment.text.as_bytes())),
            })
        })
        .collect();
    let operations: Vec<Value> = fragments
        .iter()
        .map(|fragment| {
            let operation_id = first_operation_id(&fragment.document).unwrap_or_default();
            json!({
                "operation": fragment.operation,
                "operationId": operation_id,
                "page": fragment.source,
                "sha256": hex(&Sha256::digest(fragment.text.as_bytes())),
            })
        })
        .collect();
    json!({
        "generator": "cargo xtask sync-spec",
        "index": index.as_str(),
        "operations": operations,
        "webhooks": webhooks,
    })
}

fn first_operation_id(document: &Value) -> Option<String> {
    document
        .get("paths")?
        .as_object()?
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|item| item.values()))
        .find_map(|operation| operation.get("operationId")?.as_str().map(str::to_owned))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The previous spec's generation, or why there is none to compare with.
pub fn previous_generation(
    path: &Path,
    overlays: &[Overlay],
    design: &Design,
) -> (Option<Previous>, Option<String>) {
    let previous = match document::read(path) {
        Ok(previous) => previous,
        Err(error) => return (None, Some(error.to_string())),
    };
    match pilot_status_codegen::generate(&previous, overlays, design) {
        Ok(generated) => (
            Some(Previous {
                spec: previous,
                generated,
            }),
            None,
        ),
        Err(error) => (
            None,
            Some(format!("the previous spec does not generate: {error}")),
        ),
    }
}

/// A complete temporary file beside its destination.
struct Staged {
    temp: PathBuf,
}

fn stage(path: &Path, text: &str) -> Result<Staged, SyncError> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = directory.join(format!(".{name}.tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    };
    write().map_err(|source| {
        let _ = std::fs::remove_file(&temp);
        SyncError::Write {
            path: path.to_owned(),
            source,
        }
    })?;
    Ok(Staged { temp })
}

impl Staged {
    fn commit(self, path: &Path) -> Result<(), SyncError> {
        std::fs::rename(&self.temp, path).map_err(|source| {
            let _ = std::fs::remove_file(&self.temp);
            SyncError::Write {
                path: path.to_owned(),
                source,
            }
        })
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Removes the temporary file of a stage that was never committed.
        let _ = std::fs::remove_file(&self.temp);
    }
}
