//! What an importer can choose between: other entry ports it can reach
//! (`alternative_ports`) and other clearance modes it can declare under
//! (`alternative_modes`). Each (port, mode) option becomes a model stream
//! of its own; `Model::options_for` and the replication decide who uses
//! which.

use toml::Spanned;

use super::super::raw::RawStream;
use super::places::lookup;
use super::streams::unknown_mode;
use super::{Context, at};
use crate::model::{Channel, Mode, Site, SiteId};

/// Most options (port and mode pairs, the usual one included) one stream
/// may have: importers weigh a handful, and each becomes a model stream of
/// its own.
pub(super) const MAX_OPTIONS: usize = 64;

/// Most alternative ports one stream may list: importers weigh a handful
/// of ports, and each becomes a model stream of its own.
const MAX_ALTERNATIVE_PORTS: usize = 32;

/// The other entry ports a stream's importers can reach: known entry
/// points, neither the stream's own port nor listed twice.
pub(super) fn alternative_ports(
    cx: &mut Context,
    path: &str,
    s: &RawStream,
    port: Option<SiteId>,
    sites: &[Site],
) -> Vec<(usize, SiteId)> {
    let Some(list) = &s.alternative_ports else {
        return Vec::new();
    };
    if list.get_ref().len() > MAX_ALTERNATIVE_PORTS {
        let msg = format!(
            "lists {} ports; at most {MAX_ALTERNATIVE_PORTS} are allowed (each becomes a route of its own)",
            list.get_ref().len()
        );
        cx.d.error(&format!("{path}.alternative_ports"), Some(at(list)), msg);
        return Vec::new();
    }
    let mut out: Vec<(usize, SiteId)> = Vec::new();
    for (k, name) in list.get_ref().iter().enumerate() {
        let key = format!("{path}.alternative_ports[{k}]");
        let spanned = Spanned::new(at(list), name.clone());
        let Some(id) = lookup(&mut cx.d, &cx.site_index, &key, &spanned, "site") else {
            continue;
        };
        let problem = if !sites[id.0 as usize].kind.is_entry_point() {
            Some(format!(
                "site {name:?} is not an entry port; list ports, postal hubs, e-commerce sites or bonded zones"
            ))
        } else if Some(id) == port {
            Some(format!(
                "{name:?} is the stream's own port; list only the other ports its importers could use"
            ))
        } else if out.iter().any(|(_, o)| *o == id) {
            Some(format!("{name:?} is listed twice"))
        } else {
            None
        };
        match problem {
            Some(msg) => cx.d.error(&key, Some(at(list)), msg),
            None => out.push((k, id)),
        }
    }
    out
}

/// What the stream as written is declared under, for checking its
/// alternative modes.
pub(super) struct Usual {
    pub mode: Mode,
    pub channel: Channel,
    pub has_home: bool,
}

/// The other clearance modes a stream's importers may declare under, each
/// with its index in the list: known modes, neither the stream's own nor
/// listed twice, and only for general trade (the five modes are for
/// general-trade declarations; parcels and post keep their own
/// procedure). Under a mode imposed on every stream (`policy.mode`, or
/// `compare`) there is no choice, and the list is set aside: with a
/// warning when the file itself imposes the mode.
pub(super) fn alternative_modes(
    cx: &mut Context,
    path: &str,
    s: &RawStream,
    usual: &Usual,
) -> Vec<(usize, Mode)> {
    let Some(list) = &s.alternative_modes else {
        return Vec::new();
    };
    let key = format!("{path}.alternative_modes");
    if let Some(imposed) = cx.policy_mode {
        if !cx.mode_from_command_line {
            let msg = format!(
                "has no effect: policy.mode imposes {} on every stream, so importers have no mode to choose",
                imposed.name()
            );
            cx.d.warning(&key, Some(at(list)), msg);
        }
        return Vec::new();
    }
    if usual.channel != Channel::GeneralTrade {
        let msg = format!(
            "a {} stream keeps its own clearance procedure; the five modes, and a choice between them, are for general-trade declarations",
            usual.channel.name()
        );
        cx.d.error(&key, Some(at(list)), msg);
        return Vec::new();
    }
    let mut out: Vec<(usize, Mode)> = Vec::new();
    for (k, name) in list.get_ref().iter().enumerate() {
        let problem = match Mode::parse(name) {
            None => Some(unknown_mode(name)),
            Some(m) if m == usual.mode => Some(format!(
                "{name:?} is the stream's own mode; list only the other modes its importers could use"
            )),
            Some(m) if out.iter().any(|(_, o)| *o == m) => {
                Some(format!("{name:?} is listed twice"))
            }
            Some(m) if m.needs_home() && !usual.has_home => Some(format!(
                "mode {name} needs the importer's home customs: add home = \"<a customs site id>\" to the stream"
            )),
            Some(m) => {
                out.push((k, m));
                None
            }
        };
        if let Some(msg) = problem {
            cx.d.error(&format!("{key}[{k}]"), Some(at(list)), msg);
        }
    }
    out
}

/// Refuses a stream with more options than [`MAX_OPTIONS`]; `Err` means
/// none should be generated.
pub(super) fn check_option_count(
    cx: &mut Context,
    path: &str,
    s: &RawStream,
    ports: usize,
    modes: usize,
) -> Result<(), ()> {
    let options = (1 + ports) * (1 + modes);
    if options <= MAX_OPTIONS {
        return Ok(());
    }
    let msg = format!(
        "{} ports × {} modes give {options} options; at most {MAX_OPTIONS} are allowed (each becomes a route of its own): list fewer alternative ports or modes",
        1 + ports,
        1 + modes
    );
    let span = s
        .alternative_modes
        .as_ref()
        .map(at)
        .or_else(|| s.alternative_ports.as_ref().map(at));
    cx.d.error(&format!("{path}.alternative_modes"), span, msg);
    Err(())
}
