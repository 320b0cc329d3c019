//! Shell completions and manual pages, from the real binary.

mod common;

use common::clearsim;

#[test]
fn completions_cover_the_commands_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = clearsim(&["completions", shell]);
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        for command in ["compare", "sweep", "ladder", "no-experiment"] {
            assert!(text.contains(command), "{shell} completion lacks {command}");
        }
    }
    let out = clearsim(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: bash"));
}

#[test]
fn man_pages_are_roff_for_clearsim_and_each_command() {
    let out = clearsim(&["man"]);
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH clearsim 1"), "{page}");
    assert!(page.contains("ladder"), "the top page lists the commands");
    let out = clearsim(&["man", "sweep"]);
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains(".TH clearsim-sweep 1"), "{page}");
    assert!(page.contains("\\-\\-set"), "the sweep page documents --set");
    let out = clearsim(&["man", "swep"]);
    assert_eq!(out.status.code(), Some(2));
}
