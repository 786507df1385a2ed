//! Creates what `template.yaml` declares, in whatever `AWS_ENDPOINT_URL` points at: the table,
//! the queues (DLQs first, then the queues that redrive into them), SES identities and state
//! machines. Idempotent: running it against a provisioned endpoint changes nothing but
//! state-machine definitions.

use crate::template::{str_of as s, Resolver, Template, ACCOUNT};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, StreamSpecification, StreamViewType,
    TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;
use serde_yaml::Value;
use std::collections::HashMap;
use vitrina_shared::aws::Clients;

pub const STACK: &str = "vitrina";

fn err<E: std::fmt::Debug>(what: &str) -> impl FnOnce(E) -> String + '_ {
    move |e| format!("{what}: {e:?}")
}

pub async fn provision(
    template: &Template,
    clients: &Clients,
    secrets: &aws_sdk_secretsmanager::Client,
    region: &str,
) -> Result<Resolver, String> {
    let mut r = Resolver {
        region: region.to_string(),
        parameters: template.parameters.clone(),
        ..Default::default()
    };
    for (id, _) in template.of_type("AWS::Serverless::Function") {
        r.attrs.insert(format!("{id}.Arn"), r.function_arn(id));
        r.refs.insert(id.clone(), id.clone());
    }
    for (id, res) in template.of_type("AWS::DynamoDB::Table") {
        let name = format!("{STACK}-{id}");
        create_table(
            clients,
            &name,
            res.get("Properties").unwrap_or(&Value::Null),
        )
        .await?;
        r.refs.insert(id.clone(), name.clone());
        r.attrs.insert(
            format!("{id}.Arn"),
            format!("arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}"),
        );
        let stream = clients
            .dynamodb
            .describe_table()
            .table_name(&name)
            .send()
            .await
            .map_err(|e| format!("describe table {name}: {e:?}"))?
            .table
            .and_then(|t| t.latest_stream_arn);
        if let Some(arn) = stream {
            r.attrs.insert(format!("{id}.StreamArn"), arn);
        }
    }
    for (id, res) in template.of_type("AWS::SecretsManager::Secret") {
        let name = format!("{STACK}-{id}");
        let props = res.get("Properties");
        let value = match props.and_then(|p| p.get("SecretString")) {
            Some(v) => r.resolve(v)?,
            // `GenerateSecretString`: a random value, as Secrets Manager would make one — put
            // under `GenerateStringKey` of `SecretStringTemplate` when the template says so.
            None => generated_secret(props.and_then(|p| p.get("GenerateSecretString")))?,
        };
        let arn = create_secret(secrets, &name, &value).await?;
        r.refs.insert(id.clone(), arn);
    }
    for (id, _) in template.of_type("AWS::S3::Bucket") {
        // Bucket names are global and lowercase.
        let name = format!("{STACK}-{}", id.to_lowercase());
        match clients.s3.create_bucket().bucket(&name).send().await {
            Ok(_) => {}
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_bucket_already_owned_by_you()) => {}
            Err(e) => return Err(format!("create bucket {name}: {e:?}")),
        }
        r.refs.insert(id.clone(), name.clone());
        r.attrs
            .insert(format!("{id}.Arn"), format!("arn:aws:s3:::{name}"));
        r.attrs.insert(
            format!("{id}.RegionalDomainName"),
            format!("{name}.s3.{region}.amazonaws.com"),
        );
    }
    // Queues that others redrive into come first: their ARNs are needed by the rest.
    let mut queues: Vec<(&String, &Value)> = template.of_type("AWS::SQS::Queue").collect();
    queues.sort_by_key(|(_, q)| {
        q.get("Properties")
            .and_then(|p| p.get("RedrivePolicy"))
            .is_some()
    });
    for (id, res) in queues {
        let props = res.get("Properties").cloned().unwrap_or(Value::Null);
        let fifo = s(props.get("FifoQueue")).as_deref() == Some("true");
        let name = format!("{STACK}-{id}{}", if fifo { ".fifo" } else { "" });
        let mut attrs: HashMap<QueueAttributeName, String> = HashMap::new();
        for (key, attr) in [
            ("VisibilityTimeout", QueueAttributeName::VisibilityTimeout),
            (
                "MessageRetentionPeriod",
                QueueAttributeName::MessageRetentionPeriod,
            ),
            ("DelaySeconds", QueueAttributeName::DelaySeconds),
            ("FifoQueue", QueueAttributeName::FifoQueue),
            (
                "ContentBasedDeduplication",
                QueueAttributeName::ContentBasedDeduplication,
            ),
        ] {
            if let Some(v) = s(props.get(key)) {
                attrs.insert(attr, v);
            }
        }
        if let Some(rp) = props.get("RedrivePolicy") {
            let target = rp
                .get("deadLetterTargetArn")
                .ok_or(format!("{id}: RedrivePolicy without deadLetterTargetArn"))?;
            let policy = serde_json::json!({
                "deadLetterTargetArn": r.resolve(target)?,
                "maxReceiveCount": s(rp.get("maxReceiveCount")).unwrap_or_else(|| "3".into()),
            });
            attrs.insert(QueueAttributeName::RedrivePolicy, policy.to_string());
        }
        let out = clients
            .sqs
            .create_queue()
            .queue_name(&name)
            .set_attributes(Some(attrs))
            .send()
            .await
            .map_err(err(&name))?;
        let url = out.queue_url.unwrap_or_default();
        r.refs.insert(id.clone(), url.clone());
        r.attrs.insert(format!("{id}.QueueUrl"), url);
        r.attrs.insert(format!("{id}.QueueName"), name.clone());
        r.attrs.insert(
            format!("{id}.Arn"),
            format!("arn:aws:sqs:{region}:{ACCOUNT}:{name}"),
        );
    }
    for (id, res) in template.of_type("AWS::SES::EmailIdentity") {
        let identity = res
            .get("Properties")
            .and_then(|p| p.get("EmailIdentity"))
            .ok_or(format!("{id}: no EmailIdentity"))?;
        let identity = r.resolve(identity)?;
        verify_identity(clients, &identity)
            .await
            .map_err(|e| format!("{id}: {e}"))?;
        r.refs.insert(id.clone(), identity);
    }
    for (id, res) in template.of_type("AWS::Serverless::StateMachine") {
        let arn = state_machine(clients, &r, id, res).await?;
        r.refs.insert(id.clone(), arn.clone());
        r.attrs.insert(format!("{id}.Arn"), arn);
    }
    Ok(r)
}

async fn verify_identity(clients: &Clients, identity: &str) -> Result<(), String> {
    match clients
        .sesv2
        .create_email_identity()
        .email_identity(identity)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_already_exists_exception()) =>
        {
            Ok(())
        }
        Err(e) => Err(format!("{e:?}")),
    }
}

async fn create_table(clients: &Clients, name: &str, props: &Value) -> Result<(), String> {
    let key_schema = |v: Option<&Value>| -> Vec<KeySchemaElement> {
        match v {
            Some(Value::Sequence(ks)) => ks
                .iter()
                .filter_map(|k| {
                    KeySchemaElement::builder()
                        .attribute_name(s(k.get("AttributeName"))?)
                        .key_type(KeyType::from(s(k.get("KeyType"))?.as_str()))
                        .build()
                        .ok()
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let attributes: Vec<AttributeDefinition> = match props.get("AttributeDefinitions") {
        Some(Value::Sequence(a)) => a
            .iter()
            .filter_map(|d| {
                AttributeDefinition::builder()
                    .attribute_name(s(d.get("AttributeName"))?)
                    .attribute_type(ScalarAttributeType::from(
                        s(d.get("AttributeType"))?.as_str(),
                    ))
                    .build()
                    .ok()
            })
            .collect(),
        _ => Vec::new(),
    };
    let gsis: Vec<GlobalSecondaryIndex> = match props.get("GlobalSecondaryIndexes") {
        Some(Value::Sequence(g)) => g
            .iter()
            .filter_map(|g| {
                GlobalSecondaryIndex::builder()
                    .index_name(s(g.get("IndexName"))?)
                    .set_key_schema(Some(key_schema(g.get("KeySchema"))))
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::All)
                            .build(),
                    )
                    .build()
                    .ok()
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut req = clients
        .dynamodb
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(attributes))
        .set_key_schema(Some(key_schema(props.get("KeySchema"))));
    if !gsis.is_empty() {
        req = req.set_global_secondary_indexes(Some(gsis));
    }
    if let Some(view) = props
        .get("StreamSpecification")
        .and_then(|v| s(v.get("StreamViewType")))
    {
        req = req.stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::from(view.as_str()))
                .build()
                .map_err(err(name))?,
        );
    }
    match req.send().await {
        Ok(_) => {}
        // The table exists already (a second start against the same emulator).
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_resource_in_use_exception()) =>
        {
            return Ok(())
        }
        Err(e) => return Err(format!("create table {name}: {e:?}")),
    }
    if let Some(ttl) = props
        .get("TimeToLiveSpecification")
        .and_then(|t| s(t.get("AttributeName")))
    {
        clients
            .dynamodb
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(ttl)
                    .enabled(true)
                    .build()
                    .map_err(err(name))?,
            )
            .send()
            .await
            .map_err(err(name))?;
    }
    Ok(())
}

async fn state_machine(
    clients: &Clients,
    r: &Resolver,
    id: &str,
    res: &Value,
) -> Result<String, String> {
    let props = res
        .get("Properties")
        .ok_or(format!("{id}: no Properties"))?;
    let uri =
        s(props.get("DefinitionUri")).ok_or(format!("{id}: DefinitionUri is required locally"))?;
    let mut definition = std::fs::read_to_string(&uri).map_err(|e| format!("{id}: {uri}: {e}"))?;
    if let Some(Value::Mapping(subs)) = props.get("DefinitionSubstitutions") {
        for (k, v) in subs {
            let k = s(Some(k)).unwrap_or_default();
            definition = definition.replace(&format!("${{{k}}}"), &r.resolve(v)?);
        }
    }
    let name = format!("{STACK}-{id}");
    // The role is named by the state machine's logical id: its tasks call AWS under that name
    // (the launcher signs them with it), so the IAM check finds the machine's `Policies`.
    let role = format!("arn:aws:iam::{ACCOUNT}:role/{id}");
    let existing = clients
        .sfn
        .list_state_machines()
        .send()
        .await
        .map_err(err(id))?
        .state_machines
        .into_iter()
        .find(|m| m.name == name);
    if let Some(m) = existing {
        clients
            .sfn
            .update_state_machine()
            .state_machine_arn(&m.state_machine_arn)
            .definition(definition)
            .send()
            .await
            .map_err(err(id))?;
        return Ok(m.state_machine_arn);
    }
    let out = clients
        .sfn
        .create_state_machine()
        .name(&name)
        .definition(definition)
        .role_arn(role)
        .send()
        .await
        .map_err(err(id))?;
    Ok(out.state_machine_arn)
}

/// The secret with `value`, created or (provisioned before) given the value again; its ARN.
async fn create_secret(
    secrets: &aws_sdk_secretsmanager::Client,
    name: &str,
    value: &str,
) -> Result<String, String> {
    match secrets
        .create_secret()
        .name(name)
        .secret_string(value)
        .send()
        .await
    {
        Ok(out) => return Ok(out.arn.unwrap_or_default()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_resource_exists_exception()) => {}
        Err(e) => return Err(format!("create secret {name}: {e:?}")),
    }
    let out = secrets
        .put_secret_value()
        .secret_id(name)
        .secret_string(value)
        .send()
        .await
        .map_err(err(name))?;
    Ok(out.arn.unwrap_or_default())
}

/// What Secrets Manager makes of a `GenerateSecretString`: 48 random characters (hex here), or
/// the JSON of `SecretStringTemplate` with them under `GenerateStringKey`.
fn generated_secret(spec: Option<&serde_yaml::Value>) -> Result<String, String> {
    let mut bytes = [0u8; 24];
    getrandom::getrandom(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let field = |name: &str| spec.and_then(|s| s.get(name)).and_then(|v| v.as_str());
    match (field("SecretStringTemplate"), field("GenerateStringKey")) {
        (Some(template), Some(key)) => {
            let mut value: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(template)
                    .map_err(|e| format!("SecretStringTemplate is not a JSON object: {e}"))?;
            value.insert(key.to_string(), serde_json::Value::String(random));
            Ok(serde_json::Value::Object(value).to_string())
        }
        _ => Ok(random),
    }
}
