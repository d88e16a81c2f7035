//! A rehearsal (the WebGPU worker's, before Start) must leave the run as it would have been. In a
//! test binary of its own: dropout draws from burn's random generator, which is global to the
//! process, and the other run loop tests reseed it whenever they build a network.

use burn::prelude::*;

mod support;
use support::*;

#[test]
fn a_rehearsal_before_start_leaves_the_run_as_it_would_have_been() {
    // Dropout draws from the device's random generator, which every network shares: a rehearsal
    // that drew from it would change the masks the students draw next.
    let s = settings(&[("budget", "300"), ("epochs", "1"), ("dropout", "0.3"), ("mode", "soft")]);
    let mut plain = runner(5.0);
    let mut expected = run(plain.configure(&s, &Device::flex(), "CPU"));
    expected.extend(play(&mut plain));

    let mut rehearsed = runner(5.0);
    let mut events = run(rehearsed.configure(&s, &Device::flex(), "CPU"));
    let mut parts = 0;
    while run(rehearsed.rehearse_next()).unwrap() {
        parts += 1;
    }
    assert_eq!(parts, 3, "the distilled student's step, the labels-only student's and scoring");
    assert!(!run(rehearsed.rehearse_next()).unwrap(), "each once");
    events.extend(play(&mut rehearsed));
    assert!(scores(&expected).len() >= 2, "{expected:?}");
    assert_eq!(scores(&events), scores(&expected), "the same students, step for step");
}
