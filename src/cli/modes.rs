//! Clearance modes named on the command line (`compare --modes`, `demo
//! --mode`) and the scenario rebuilt under each of them.

use super::*;
use crate::scenario::Severity;

/// The valid names, for error messages.
fn valid_modes() -> String {
    let names: Vec<&str> = Mode::ALL.iter().map(|(n, _)| *n).collect();
    format!("valid modes: all, {}", names.join(", "))
}

/// One mode by name; `flag` names the option in the error.
pub(super) fn parse_mode(name: &str, flag: &str) -> anyhow::Result<Mode> {
    Mode::parse(name).ok_or_else(|| {
        InputError(ScenarioError::single(
            flag,
            format!("unknown clearance mode {name:?}; {}", valid_modes()),
        ))
        .into()
    })
}

/// `all`, or mode names separated by commas.
pub(super) fn parse_modes(list: &str, flag: &str) -> anyhow::Result<Vec<Mode>> {
    if list.trim() == "all" {
        return Ok(Mode::ALL.iter().map(|(_, m)| *m).collect());
    }
    let modes: Vec<Mode> = list
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| parse_mode(m, flag))
        .collect::<anyhow::Result<_>>()?;
    if modes.is_empty() {
        return Err(InputError(ScenarioError::single(
            flag,
            format!("no mode given; {}", valid_modes()),
        ))
        .into());
    }
    Ok(modes)
}

/// Lines for the manifest's `notes`.
pub(super) type Notes = Vec<String>;

/// The scenario rebuilt under each mode of `list`, each mode applied to
/// the general-trade streams that can take it, and the notes a reader needs:
/// which streams kept their own mode, which modes were skipped. A mode no
/// stream can take is an error when asked for by name and is skipped under
/// `all`, said on stderr even when `quiet` (a comparison missing a mode
/// must not look complete); the streams kept are summed up unless `quiet`
/// and listed in full in the notes.
pub(super) fn build_under_modes(
    s: &Scenario,
    list: &str,
    flag: &str,
    quiet: bool,
    every_stream: bool,
) -> anyhow::Result<(Vec<(Mode, Scenario)>, Notes)> {
    let explicit = list.trim() != "all";
    let mut built = Vec::new();
    let mut failures: Vec<(Mode, ScenarioError)> = Vec::new();
    for mode in parse_modes(list, flag)? {
        match s.with(&Overrides {
            mode: Some(mode),
            every_stream,
        }) {
            Ok(v) if takes_mode(&v, mode) => built.push((mode, v)),
            Ok(v) => failures.push((mode, no_stream_takes(s, &v, mode))),
            Err(e) => failures.push((mode, e)),
        }
    }
    if explicit && !failures.is_empty() || built.is_empty() {
        return Err(InputError(mode_errors(&s.source_label, failures)).into());
    }
    let mut notes = Vec::new();
    for (mode, e) in &failures {
        let why = reasons(e);
        eprintln!(
            "warning: skipping mode {}: the scenario cannot run under it:\n{}",
            mode.name(),
            why.iter()
                .map(|r| format!("  {r}\n"))
                .collect::<String>()
                .trim_end()
        );
        notes.push(format!("mode {} skipped: {}", mode.name(), why.join("; ")));
    }
    for (mode, v) in &built {
        if v.kept_own_mode.is_empty() {
            continue;
        }
        if !quiet {
            eprintln!(
                "note: under {}, {} of {} streams keep their own mode (listed in manifest.json)",
                mode.name(),
                v.kept_own_mode.len(),
                written_streams(v)
            );
        }
        notes.extend(
            v.kept_own_mode
                .iter()
                .map(|k| format!("under {}: {k}", mode.name())),
        );
    }
    Ok((built, notes))
}

/// The streams as written in the file (not their generated alternative
/// ports).
fn written_streams(s: &Scenario) -> usize {
    s.model
        .streams
        .iter()
        .filter(|st| st.choice.parent.is_none())
        .count()
}

/// Whether any stream runs under `mode` in the rebuilt scenario.
fn takes_mode(v: &Scenario, mode: Mode) -> bool {
    v.model.streams.iter().any(|st| st.mode == mode)
}

/// Why no stream could take `mode`: every stream's reason.
fn no_stream_takes(s: &Scenario, v: &Scenario, mode: Mode) -> ScenarioError {
    ScenarioError::single(
        &s.source_label,
        format!(
            "no stream can take mode {}: {}",
            mode.name(),
            v.kept_own_mode.join("; ")
        ),
    )
}

/// Why a mode was skipped, one line per problem, without the `error:`
/// label and the "scenario was not run" line of a fatal error: the command
/// goes on with the other modes.
fn reasons(e: &ScenarioError) -> Vec<String> {
    let mut lines: Vec<String> = e
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let at = d
                .location
                .map_or(String::new(), |(l, c)| format!("{}:{l}:{c}: ", e.file));
            let path = if d.path.is_empty() || d.path == e.file {
                String::new()
            } else {
                format!("{}: ", d.path)
            };
            format!("{at}{path}{}", d.message)
        })
        .collect();
    if e.unlisted > 0 {
        lines.push(format!("... and {} more", e.unlisted));
    }
    lines
}

/// One error listing why each mode cannot run.
fn mode_errors(file: &str, failures: Vec<(Mode, ScenarioError)>) -> ScenarioError {
    let mut diagnostics = Vec::new();
    let mut unlisted = 0;
    for (mode, e) in failures {
        unlisted += e.unlisted;
        for mut d in e.diagnostics {
            d.message = format!("under mode {}: {}", mode.name(), d.message);
            diagnostics.push(d);
        }
    }
    ScenarioError {
        file: file.to_string(),
        diagnostics,
        unlisted,
    }
}
