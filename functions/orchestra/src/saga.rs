//! The order saga's state machine, as orchestra starts it: one execution per order (and one
//! more for its cancellation), named by the order id, so that Step Functions itself refuses a
//! second one.

use vitrina_shared::envelope::OrderPaid;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the saga input could not be written: {0}")]
    Input(#[from] serde_json::Error),
    #[error("Step Functions: {0}")]
    Aws(String),
}

pub struct OrderSaga {
    sfn: aws_sdk_sfn::Client,
    state_machine_arn: String,
}

impl OrderSaga {
    pub fn new(sfn: aws_sdk_sfn::Client, state_machine_arn: String) -> Self {
        Self {
            sfn,
            state_machine_arn,
        }
    }

    /// Starts the order's execution named `name`; `false` when it exists already (running or
    /// finished).
    pub async fn start(&self, name: &str, order: &OrderPaid) -> Result<bool, StartError> {
        let result = self
            .sfn
            .start_execution()
            .state_machine_arn(&self.state_machine_arn)
            .name(name)
            .input(serde_json::to_string(order)?)
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_execution_already_exists()) =>
            {
                Ok(false)
            }
            Err(e) => Err(StartError::Aws(
                aws_sdk_sfn::error::DisplayErrorContext(e).to_string(),
            )),
        }
    }
}
