//! Who plays which role: said before an exercise starts, in every front-end.

use crate::engine::run::Run;
use crate::frontend::play::{Console, YesNo};
use std::io;

/// The exercise's title and who plays which role.
pub fn introduce(console: &mut dyn Console, run: &Run) -> io::Result<()> {
    let exercise = run.exercise();
    let minutes = match exercise.minutes {
        1 => "1 minute".to_owned(),
        n => format!("{n} minutes"),
    };
    console.heading(&format!("{} · about {minutes}", exercise.title))?;
    console.say(&roles_text(run))
}

/// "Alex (speaker): ...", one line per role, as the question header names them.
pub fn roles_text(run: &Run) -> String {
    let partners = &run.state().partners;
    run.exercise()
        .roles
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let name = partners.get(run.partner_for(i)).map_or("", String::as_str);
            format!("{name} ({}): {}", role.label, role.description.trim())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Before an exercise with two roles that do different jobs and that does
/// not swap them itself (`Exercise::offers_role_swap`): offers to swap who
/// plays which, and says the roles again when the partners do. `Break` and `Quit` are the
/// caller's to journal (a time-out before the first question).
pub fn offer_swap(console: &mut dyn Console, run: &mut Run) -> io::Result<YesNo> {
    let exercise = run.exercise();
    let [first, second, ..] = exercise.roles.as_slice() else {
        return Ok(YesNo::No);
    };
    if !exercise.offers_role_swap() {
        return Ok(YesNo::No);
    }
    let partners = run.state().partners.clone();
    let name = |role| {
        partners
            .get(run.partner_for(role))
            .map_or("", String::as_str)
    };
    let question = format!(
        "Would you like to swap, so {} is the {} and {} the {}?",
        name(1),
        first.label,
        name(0),
        second.label
    );
    let answer = console.yes_no(&question)?;
    if answer == YesNo::Yes && run.swap_roles() {
        console.say(&roles_text(run))?;
    }
    Ok(answer)
}
