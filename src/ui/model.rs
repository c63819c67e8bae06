//! The page's state is `jobsim::app::Model` (no web types, tested
//! natively); here it becomes Yew's reducer.

pub use jobsim::app::{Derived, Model, Msg, Problem, Run, Selection, Tab};
use std::ops::Deref;
use std::rc::Rc;
use yew::Reducible;

/// The model as Yew's `use_reducer` state.
pub struct Store(pub Model);

impl Deref for Store {
    type Target = Model;

    fn deref(&self) -> &Model {
        &self.0
    }
}

impl Reducible for Store {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        Rc::new(Store(self.0.reduce(msg)))
    }
}
