//! The few browser calls the worker makes: messages in and out, the clock, yielding.

use distill_browser::{from_message, to_message};
use distill_playground::protocol::{Command, Event, WorkerError};
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

pub fn post(event: &Event) {
    match to_message(event) {
        Ok(message) => scope().post_message(&message).expect("posting to the page"),
        Err(e) => web_sys::console::error_1(&format!("cannot serialise an event: {e}").into()),
    }
}

/// Milliseconds, monotonic.
pub fn now() -> f64 {
    scope().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

/// Lets the worker's event loop run (incoming messages, GPU callbacks) before going on.
pub async fn yield_now() {
    let promise = Promise::new(&mut |resolve, _| {
        scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).expect("setTimeout");
    });
    let _ = JsFuture::from(promise).await;
}

/// Commands from the page, queued in arrival order.
#[derive(Clone)]
pub struct Inbox(Rc<RefCell<Queue>>);

#[derive(Default)]
struct Queue {
    commands: VecDeque<Command>,
    /// Resolves the promise an idle worker waits on.
    wake: Option<Function>,
}

impl Inbox {
    pub fn listen() -> Inbox {
        let inbox = Inbox(Rc::new(RefCell::new(Queue::default())));
        let queue = inbox.0.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match from_message::<Command>(event.data()) {
                Ok(command) => queue.borrow_mut().commands.push_back(command),
                Err(e) => post(&Event::Error(WorkerError::Protocol(e.to_string()))),
            }
            if let Some(wake) = queue.borrow_mut().wake.take() {
                let _ = wake.call0(&JsValue::NULL);
            }
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        inbox
    }

    pub fn pop(&self) -> Option<Command> {
        self.0.borrow_mut().commands.pop_front()
    }

    /// Resolves when a command arrives (at once if one is waiting).
    pub async fn wait(&self) {
        if !self.0.borrow().commands.is_empty() {
            return;
        }
        let queue = self.0.clone();
        let promise = Promise::new(&mut |resolve, _| queue.borrow_mut().wake = Some(resolve));
        let _ = JsFuture::from(promise).await;
    }
}
