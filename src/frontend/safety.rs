//! The safety note every sitting opens with, in the terminal and in a browser.

/// Shown before anything else, every session.
pub const SAFETY_NOTE: &str = "mend supports, and does not replace, guidance from a professional. \
If there is violence, coercion or fear for anyone's safety in your relationship, \
couples exercises are not the right tool: please reach out to a local domestic-abuse service, \
a doctor or an individual therapist first.";
