//! Clearance modes named on the command line (`compare --modes`, `demo
//! --mode`) and the scenario rebuilt under each of them.

use super::*;

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

/// The scenario rebuilt with `policy.mode` set to each mode of `list`. A
/// mode the network cannot carry (no link for transit, say) is an error
/// when asked for by name and is skipped, with the reason on stderr unless
/// `quiet`, under `all`.
pub(super) fn build_under_modes(
    s: &Scenario,
    list: &str,
    flag: &str,
    quiet: bool,
) -> anyhow::Result<Vec<(Mode, Scenario)>> {
    let explicit = list.trim() != "all";
    let mut built = Vec::new();
    let mut failures: Vec<(Mode, ScenarioError)> = Vec::new();
    for mode in parse_modes(list, flag)? {
        match s.with(&Overrides { mode: Some(mode) }) {
            Ok(v) => built.push((mode, v)),
            Err(e) => failures.push((mode, e)),
        }
    }
    if explicit && !failures.is_empty() || built.is_empty() {
        return Err(InputError(mode_errors(&s.source_label, failures)).into());
    }
    if !quiet {
        for (mode, e) in &failures {
            eprintln!(
                "warning: skipping mode {}: the scenario cannot run under it:\n{e}",
                mode.name()
            );
        }
    }
    Ok(built)
}

/// One error listing why each mode cannot run.
fn mode_errors(file: &str, failures: Vec<(Mode, ScenarioError)>) -> ScenarioError {
    let mut diagnostics = Vec::new();
    for (mode, e) in failures {
        for mut d in e.diagnostics {
            d.message = format!("under mode {}: {}", mode.name(), d.message);
            diagnostics.push(d);
        }
    }
    ScenarioError {
        file: file.to_string(),
        diagnostics,
    }
}
