//! End to end in headless Chromium through WebDriver: two devices play
//! i-statements as two partners, one takes a break, the sitting resumes,
//! the notes appear. Screenshots at 375 and 1280 pixels wide go to
//! `target/serve-screenshots/`; axe-core checks each screen. Skips, saying
//! why, where chromium or chromedriver is missing (CI installs both).

use crate::serve::Server;
use crate::webdriver::{Browser, Driver};
use serde_json::json;
use std::path::PathBuf;

fn artifacts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/serve-screenshots")
}

const AXE: &str = include_str!("../fixtures/axe-core/axe.min.js");

/// Runs axe-core on the page; panics on any serious or critical violation.
fn accessible(browser: &Browser, screen: &str) {
    let script = format!(
        "{AXE}\n;const done = arguments[arguments.length - 1];\
         axe.run(document, {{resultTypes: ['violations']}}).then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')'))).catch(e => done(['axe failed: ' + e]));"
    );
    let problems = browser.run_async(&script);
    assert_eq!(
        problems,
        json!([]),
        "accessibility problems on the {screen} screen"
    );
}

fn shoot(browser: &Browser, name: &str) {
    browser.screenshot(&artifacts().join(format!("{name}.png")));
}

/// Waits until the question waiting on this device includes `text`.
fn asked(browser: &Browser, text: &str) {
    browser.wait_for(
        &format!("the question \"{text}\""),
        &format!(
            "const p = document.querySelector('#act #prompt'); return !!(p && p.textContent.includes({}))",
            serde_json::to_string(text).unwrap()
        ),
    );
}

/// Waits until the banner says `text`.
fn banner(browser: &Browser, text: &str) {
    browser.wait_for(
        &format!("the banner \"{text}\""),
        &format!(
            "return document.querySelector('#banner').textContent.includes({})",
            serde_json::to_string(text).unwrap()
        ),
    );
}

/// Types an answer in the box and sends it with Enter.
fn say(browser: &Browser, answer: &str) {
    browser.type_into("#answer", &format!("{answer}\n"));
}

#[test]
fn two_partners_play_on_two_devices_with_a_break() {
    let driver = match Driver::start() {
        Ok(driver) => driver,
        Err(why) => {
            println!("skipping the browser test: {why}");
            return;
        }
    };
    let server = Server::start();
    let laptop = driver.browser(1280, 900);
    let phone = driver.browser(375, 812);

    // The server's page: names, then the sitting.
    laptop.goto(&format!("{}/#k={}", server.base, server.key));
    laptop.wait_text("Start a sitting");
    accessible(&laptop, "start");
    shoot(&laptop, "start-1280");
    laptop.type_into("#name-a", "Alex");
    laptop.type_into("#name-b", "Sam");
    laptop.press("Start");
    laptop.wait_text("Which exercise would you like to do?");
    laptop.wait_text("does not replace, guidance from a professional");
    accessible(&laptop, "picker");
    shoot(&laptop, "picker-1280");

    // The join links: the laptop becomes Alex's device, the phone Sam's.
    laptop.click("#links summary");
    let links = laptop.wait_for(
        "the join links",
        "const f = [...document.querySelectorAll('#link-list input')]; return f.length === 3 ? f.map(i => i.value) : null",
    );
    assert!(laptop.shows("#link-list svg"), "a QR code is shown");
    accessible(&laptop, "links");
    let alex = links[0].as_str().unwrap().to_owned();
    let sam = links[1].as_str().unwrap().to_owned();
    laptop.goto(&alex);
    phone.goto(&sam);
    phone.wait_text("You are Sam");
    laptop.wait_text("You are Alex");
    banner(&phone, "Which exercise");
    shoot(&phone, "picker-375");

    // I-statements swaps the roles itself: no offer to swap them first.
    laptop.press("I-statements · about 15 minutes");

    // Alex's turn: the box is on the laptop only.
    banner(&laptop, "Your turn, Alex");
    asked(&laptop, "Alex, what has been hard lately?");
    banner(&phone, "Alex's turn");
    phone.wait_text("It's Alex's turn");
    assert!(!phone.shows("#answer"), "no answer box on Sam's phone");
    accessible(&phone, "waiting");
    say(&laptop, "We never eat together any more.");
    asked(&laptop, "When that happens, what do you feel inside?");
    say(&laptop, "lonely");
    asked(&laptop, "Now put it together");
    // A check sends the answer back with a hint; the refused words are
    // shown above an empty box, as in the terminal.
    say(&laptop, "You never talk to me at dinner.");
    laptop.wait_text("Try starting from your own side");
    laptop.wait_text("You wrote: You never talk to me at dinner.");
    assert!(!laptop.text().contains("brings it back to edit"));
    let kept = laptop.run(
        "const a = document.querySelector('#answer'); return a && a.value",
        json!([]),
    );
    assert_eq!(kept, "");
    say(
        &laptop,
        "I feel lonely when we eat dinner with our phones out, because time together matters to me, and I need us to keep phones away at dinner.",
    );

    // Sam's turn on the phone; Alex's words are there, live.
    asked(&phone, "Sam, say back what you heard");
    banner(&phone, "Your turn, Sam");
    phone.wait_text("Alex: I feel lonely when we eat dinner");
    accessible(&phone, "answer");
    // The "keep out of the notes" box sits on the line of its words.
    let beside = phone.run(
        "const box = document.querySelector('#private').getBoundingClientRect(); \
         const label = document.querySelector('label.private').getBoundingClientRect(); \
         return box.width < 40 && box.top >= label.top && box.bottom <= label.bottom && label.height < 3 * box.height",
        json!([]),
    );
    assert_eq!(beside, true, "the checkbox is not beside its label");
    shoot(&phone, "answer-375");
    say(
        &phone,
        "What I heard is that you feel lonely at dinner when the phones are out.",
    );
    asked(&laptop, "Alex, did Sam get it?");
    laptop.press("Yes, that's it.");
    // Sam chooses to take a turn as speaker.
    asked(&phone, "Sam, would you like a turn as speaker too");
    phone.press("Yes, now.");

    // Sam takes a break on Sam's own turn.
    asked(&phone, "Sam, what has been hard lately?");
    say(&phone, "I come home and nobody says hello.");
    asked(&phone, "When that happens, what do you feel inside?");
    phone.press("Take a break");
    banner(&laptop, "You are taking a break");
    phone.wait_text("Take at least 20 minutes apart");
    accessible(&phone, "break");
    shoot(&phone, "break-375");
    shoot(&laptop, "break-1280");

    // Closing the tab loses nothing: the link reopens at the sitting.
    phone.goto("about:blank");
    phone.goto(&sam);
    banner(&phone, "You are taking a break");
    phone.press("Resume");
    laptop.wait_text("Welcome back, Alex and Sam");
    laptop.wait_text("during Sam's turn.");
    // The readiness question, of both (i-statements names no pace).
    asked(&phone, "Alex, is now a good time to go on?");
    laptop.press("Yes");
    asked(&phone, "Sam, is now a good time to go on?");
    phone.press("Yes");
    asked(&phone, "When that happens, what do you feel inside?");
    assert!(
        phone.shows("#private"),
        "the box offers to keep an answer out of the notes"
    );
    say(&phone, "invisible");
    asked(&phone, "Now put it together");
    say(
        &phone,
        "I feel invisible when I come home and no one looks up, because I want to matter to you, and I need a hello.",
    );
    asked(&laptop, "Alex, say back what you heard");
    say(
        &laptop,
        "What I heard is that you want a real hello when you come home.",
    );
    asked(&phone, "Sam, did Alex get it?");
    phone.press("Yes, that's it.");
    // The closing, each on their own device.
    asked(
        &laptop,
        "Alex, before you finish: how are you leaving this?",
    );
    laptop.press("Settled enough.");
    asked(&phone, "Sam, before you finish: how are you leaving this?");
    phone.press("Settled enough.");
    asked(&laptop, "Would you like to do another exercise?");
    laptop.press("No");

    // The end: the summary and the notes, on both devices.
    for device in [&laptop, &phone] {
        device.wait_text("What you did today");
        device.wait_text("Session notes");
        device.wait_text("I feel invisible when I come home");
    }
    assert!(laptop.shows("#download"));
    accessible(&laptop, "notes");
    shoot(&laptop, "notes-1280");
    shoot(&phone, "notes-375");
}
