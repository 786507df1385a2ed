//! IAM, played locally: every function the runtime hosts signs its AWS requests with its own
//! logical id as the access key (`host.rs`); the local AWS records who called what
//! (`GET /_vitrina/calls` of the moto launcher) and the runtime's Lambda API records who invoked
//! whom. `GET /_local/iam` checks every recorded call against that function's `Policies` in
//! `template.yaml` — actions, resources, `dynamodb:LeadingKeys`, `ses:FromAddress`, invoke
//! permissions — as IAM would, and lists the grants no call used.
//!
//! Only what the template says is evaluated: an inline `Statement` (Allow only) and the SAM
//! policy templates the shop uses. Anything else (a Deny, another condition, an unknown policy
//! template) is reported as a policy the local check cannot read, never silently passed.

use crate::template::{str_of, Resolver, Template, ACCOUNT};
use serde::{Deserialize, Serialize};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One call a function made, as recorded (the same call many times is one entry with a count).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Call {
    pub principal: String,
    /// IAM's service prefix: `dynamodb`, `sqs`, `states`, `secretsmanager`, `ses`, `s3`, `lambda`.
    pub service: String,
    pub action: String,
    /// The table name, queue URL, ARN, secret id, `bucket/key` or function ARN the call named.
    pub resource: Option<String>,
    /// A DynamoDB index the call read.
    #[serde(default)]
    pub index: Option<String>,
    /// The partition key of the item (DynamoDB), for `dynamodb:LeadingKeys`.
    #[serde(default)]
    pub key: Option<String>,
    /// The sender (SES), for `ses:FromAddress`.
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub count: u64,
}

#[derive(Clone, Debug)]
struct Statement {
    /// Where it is written, for the report ("Statement 2", "LambdaInvokePolicy OrderPayableFunction").
    origin: String,
    actions: Vec<String>,
    resources: Vec<String>,
    leading_keys: Option<Vec<String>>,
    from_address: Option<String>,
}

/// Every function's policy, resolved to the local stack's names.
pub struct Policies {
    region: String,
    by_function: BTreeMap<String, Vec<Statement>>,
    /// Queue URL → ARN (a call names the URL, a policy the ARN).
    queue_arns: HashMap<String, String>,
    /// What the check could not read.
    unreadable: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Distinct calls of hosted functions checked.
    pub checked: usize,
    /// Calls IAM would refuse: the function's policy grants no such action on that resource.
    pub refused: Vec<Refusal>,
    /// Grants no recorded call used ("function: action on resource [keys]").
    pub unused: Vec<String>,
    /// Policies the local check cannot evaluate.
    pub unreadable: Vec<String>,
    /// Calls by others than hosted functions (tests, tools, the runtime itself): not checked.
    pub unattributed: usize,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    pub function: String,
    pub action: String,
    pub resource: String,
    pub key: Option<String>,
    pub count: u64,
}

/// `*` any run of characters, `?` one; as IAM matches actions (case-insensitive) and resources.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn strings(v: Option<&Value>, resolver: &Resolver) -> Result<Vec<String>, String> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Sequence(items)) => items.iter().map(|i| resolver.resolve(i)).collect(),
        Some(one) => Ok(vec![resolver.resolve(one)?]),
    }
}

impl Policies {
    pub fn new(template: &Template, resolver: &Resolver) -> Self {
        let mut policies = Self {
            region: resolver.region.clone(),
            by_function: BTreeMap::new(),
            queue_arns: HashMap::new(),
            unreadable: Vec::new(),
        };
        for (id, _) in template.of_type("AWS::SQS::Queue") {
            if let (Some(url), Some(arn)) = (
                resolver.refs.get(id),
                resolver.attrs.get(&format!("{id}.Arn")),
            ) {
                policies.queue_arns.insert(url.clone(), arn.clone());
            }
        }
        // A state machine's tasks call AWS as its role, which SAM makes from its `Policies`.
        let principals = template
            .of_type("AWS::Serverless::Function")
            .chain(template.of_type("AWS::Serverless::StateMachine"));
        for (id, function) in principals {
            let mut statements = Vec::new();
            let listed = function
                .get("Properties")
                .and_then(|p| p.get("Policies"))
                .and_then(Value::as_sequence)
                .cloned()
                .unwrap_or_default();
            for (i, policy) in listed.iter().enumerate() {
                match policies.read_policy(policy, resolver) {
                    Ok(mut read) => statements.append(&mut read),
                    Err(e) => policies
                        .unreadable
                        .push(format!("{id}: Policies[{i}]: {e}")),
                }
            }
            policies.by_function.insert(id.clone(), statements);
        }
        policies
    }

    fn read_policy(&self, policy: &Value, resolver: &Resolver) -> Result<Vec<Statement>, String> {
        let Value::Mapping(m) = policy else {
            return Err(format!(
                "managed policy {:?} is not known to the local check",
                str_of(Some(policy))
            ));
        };
        let (name, args) = m.iter().next().ok_or("an empty policy")?;
        let name = str_of(Some(name)).unwrap_or_default();
        let arg = |key: &str| -> Result<String, String> {
            resolver.resolve(args.get(key).ok_or(format!("{name} without {key}"))?)
        };
        let region = &self.region;
        let template = |origin: String, action: &str, resource: String| Statement {
            origin,
            actions: vec![action.into()],
            resources: vec![resource],
            leading_keys: None,
            from_address: None,
        };
        match name.as_str() {
            "Statement" => {
                let list = args.as_sequence().ok_or("Statement is not a list")?;
                list.iter()
                    .enumerate()
                    .map(|(i, s)| Self::read_statement(i, s, resolver))
                    .collect()
            }
            // SAM's policy templates, as SAM expands them.
            "LambdaInvokePolicy" => {
                let f = arg("FunctionName")?;
                Ok(vec![template(
                    format!("LambdaInvokePolicy {f}"),
                    "lambda:InvokeFunction",
                    format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{f}*"),
                )])
            }
            "SQSSendMessagePolicy" => {
                let q = arg("QueueName")?;
                Ok(vec![template(
                    format!("SQSSendMessagePolicy {q}"),
                    "sqs:SendMessage*",
                    format!("arn:aws:sqs:{region}:{ACCOUNT}:{q}"),
                )])
            }
            "S3ReadPolicy" => {
                let b = arg("BucketName")?;
                Ok(vec![Statement {
                    origin: format!("S3ReadPolicy {b}"),
                    actions: [
                        "s3:GetObject",
                        "s3:ListBucket",
                        "s3:GetBucketLocation",
                        "s3:GetObjectVersion",
                        "s3:GetLifecycleConfiguration",
                    ]
                    .map(String::from)
                    .to_vec(),
                    resources: vec![format!("arn:aws:s3:::{b}"), format!("arn:aws:s3:::{b}/*")],
                    leading_keys: None,
                    from_address: None,
                }])
            }
            "AWSSecretsManagerGetSecretValuePolicy" => {
                let s = arg("SecretArn")?;
                Ok(vec![template(
                    "AWSSecretsManagerGetSecretValuePolicy".into(),
                    "secretsmanager:GetSecretValue",
                    s,
                )])
            }
            other => Err(format!(
                "policy template {other} is not known to the local check"
            )),
        }
    }

    fn read_statement(i: usize, s: &Value, resolver: &Resolver) -> Result<Statement, String> {
        if str_of(s.get("Effect")).as_deref() != Some("Allow") {
            return Err(format!("Statement {i}: only Allow is evaluated locally"));
        }
        let mut statement = Statement {
            origin: format!("Statement {i}"),
            actions: strings(s.get("Action"), resolver)?,
            resources: strings(s.get("Resource"), resolver)?,
            leading_keys: None,
            from_address: None,
        };
        if let Some(Value::Mapping(conditions)) = s.get("Condition") {
            for (operator, keys) in conditions {
                let operator = str_of(Some(operator)).unwrap_or_default();
                let Value::Mapping(keys) = keys else {
                    return Err(format!("Statement {i}: condition {operator} is not a map"));
                };
                for (key, value) in keys {
                    let key = str_of(Some(key)).unwrap_or_default();
                    match (operator.as_str(), key.as_str()) {
                        ("ForAllValues:StringLike", "dynamodb:LeadingKeys") => {
                            statement.leading_keys = Some(strings(Some(value), resolver)?)
                        }
                        ("StringEquals", "ses:FromAddress") => {
                            statement.from_address = Some(resolver.resolve(value)?)
                        }
                        _ => {
                            return Err(format!(
                                "Statement {i}: condition {operator} {key} is not evaluated locally"
                            ))
                        }
                    }
                }
            }
        }
        Ok(statement)
    }

    /// The ARN IAM would check for the call.
    fn resource_of(&self, call: &Call) -> String {
        let named = call.resource.clone().unwrap_or_default();
        match call.service.as_str() {
            "dynamodb" => {
                let table = format!("arn:aws:dynamodb:{}:{ACCOUNT}:table/{named}", self.region);
                match &call.index {
                    Some(index) => format!("{table}/index/{index}"),
                    None => table,
                }
            }
            "sqs" => self.queue_arns.get(&named).cloned().unwrap_or(named),
            "s3" => format!("arn:aws:s3:::{named}"),
            _ => named,
        }
    }

    pub fn check(&self, calls: &[Call]) -> Report {
        let mut report = Report {
            unreadable: self.unreadable.clone(),
            ..Default::default()
        };
        // (function, statement index, action pattern, key pattern) that some call used.
        let mut used: BTreeSet<(String, usize, String, String)> = BTreeSet::new();
        for call in calls {
            let Some(statements) = self.by_function.get(&call.principal) else {
                report.unattributed += 1;
                continue;
            };
            report.checked += 1;
            let action = format!("{}:{}", call.service, call.action);
            let resource = self.resource_of(call);
            let mut allowed = false;
            for (n, s) in statements.iter().enumerate() {
                let Some(action_pattern) = s
                    .actions
                    .iter()
                    .find(|a| glob(&a.to_lowercase(), &action.to_lowercase()))
                else {
                    continue;
                };
                if !s.resources.iter().any(|r| glob(r, &resource)) {
                    continue;
                }
                if let Some(from) = &s.from_address {
                    if call.detail.as_deref() != Some(from.as_str()) {
                        continue;
                    }
                }
                // ForAllValues: every leading key of the request matches; a request that names
                // none (a Scan) passes, as in IAM.
                let key_pattern = match (&s.leading_keys, &call.key) {
                    (Some(patterns), Some(key)) => match patterns.iter().find(|p| glob(p, key)) {
                        Some(p) => p.clone(),
                        None => continue,
                    },
                    _ => String::new(),
                };
                allowed = true;
                used.insert((
                    call.principal.clone(),
                    n,
                    action_pattern.clone(),
                    key_pattern,
                ));
            }
            if !allowed {
                report.refused.push(Refusal {
                    function: call.principal.clone(),
                    action,
                    resource,
                    key: call.key.clone(),
                    count: call.count,
                });
            }
        }
        for (function, statements) in &self.by_function {
            for (n, s) in statements.iter().enumerate() {
                for action in &s.actions {
                    let keys = s
                        .leading_keys
                        .clone()
                        .unwrap_or_else(|| vec![String::new()]);
                    for key in keys {
                        if !used.contains(&(function.clone(), n, action.clone(), key.clone())) {
                            report.unused.push(format!(
                                "{function}: {action}{} ({})",
                                if key.is_empty() {
                                    String::new()
                                } else {
                                    format!(" on {key}")
                                },
                                s.origin
                            ));
                        }
                    }
                }
            }
        }
        report.refused.sort_by(|a, b| {
            (&a.function, &a.action, &a.key).cmp(&(&b.function, &b.action, &b.key))
        });
        report
    }
}

/// `GET /_local/iam`: the check over every call recorded since the stack started.
pub fn router(
    policies: std::sync::Arc<Policies>,
    host: std::sync::Arc<crate::host::Host>,
    aws_endpoint: String,
) -> axum::Router {
    use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
    type Shared = (
        std::sync::Arc<Policies>,
        std::sync::Arc<crate::host::Host>,
        String,
    );
    async fn report(State((policies, host, endpoint)): State<Shared>) -> axum::response::Response {
        let recorded: Result<Vec<Call>, String> = async {
            reqwest::get(format!("{endpoint}/_vitrina/calls"))
                .await
                .map_err(|e| e.to_string())?
                .json()
                .await
                .map_err(|e| e.to_string())
        }
        .await;
        let mut calls = match recorded {
            Ok(calls) => calls,
            Err(e) => {
                return (
                    StatusCode::BAD_GATEWAY,
                    format!("the local AWS's record of calls: {e}"),
                )
                    .into_response()
            }
        };
        if let Ok(invokes) = host.invokes.lock() {
            calls.extend(invokes.iter().map(|((caller, arn), count)| Call {
                principal: caller.clone(),
                service: "lambda".into(),
                action: "InvokeFunction".into(),
                resource: Some(arn.clone()),
                index: None,
                key: None,
                detail: None,
                count: *count,
            }));
        }
        Json(policies.check(&calls)).into_response()
    }
    axum::Router::new()
        .route("/", axum::routing::get(report))
        .with_state((policies, host, aws_endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Queue:
    Type: AWS::SQS::Queue
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Handler: read
      Policies:
        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem, dynamodb:PutItem]
              Resource: !GetAtt Table.Arn
              Condition:
                ForAllValues:StringLike:
                  dynamodb:LeadingKeys: ["USER#*"]
        - SQSSendMessagePolicy: { QueueName: !GetAtt Queue.QueueName }
        - LambdaInvokePolicy: { FunctionName: !Ref Other }
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: other
"#;

    fn policies() -> Policies {
        let template = Template::parse(TEMPLATE, &HashMap::new()).unwrap();
        let mut r = Resolver {
            region: "us-east-1".into(),
            ..Default::default()
        };
        r.attrs.insert(
            "Table.Arn".into(),
            format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/t"),
        );
        r.refs.insert("Queue".into(), "http://q/Queue".into());
        r.attrs.insert("Queue.QueueName".into(), "q".into());
        r.attrs.insert(
            "Queue.Arn".into(),
            format!("arn:aws:sqs:us-east-1:{ACCOUNT}:q"),
        );
        r.refs.insert("Other".into(), "Other".into());
        Policies::new(&template, &r)
    }

    fn call(
        principal: &str,
        service: &str,
        action: &str,
        resource: &str,
        key: Option<&str>,
    ) -> Call {
        Call {
            principal: principal.into(),
            service: service.into(),
            action: action.into(),
            resource: Some(resource.into()),
            index: None,
            key: key.map(Into::into),
            detail: None,
            count: 1,
        }
    }

    #[test]
    fn a_call_the_policy_grants_passes_and_any_other_is_refused() {
        let p = policies();
        let other_arn = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:Other");
        let report = p.check(&[
            call("Reader", "dynamodb", "GetItem", "t", Some("USER#1")),
            call("Reader", "sqs", "SendMessage", "http://q/Queue", None),
            call("Reader", "lambda", "InvokeFunction", &other_arn, None),
            // Not granted: another key prefix, another action, another function's identity.
            call("Reader", "dynamodb", "GetItem", "t", Some("ORDER#1")),
            call("Reader", "dynamodb", "DeleteItem", "t", Some("USER#1")),
            call("Other", "dynamodb", "GetItem", "t", Some("USER#1")),
            call("local", "dynamodb", "GetItem", "t", Some("USER#1")),
        ]);
        assert_eq!(report.checked, 6);
        assert_eq!(report.unattributed, 1);
        let refused: Vec<(&str, &str, Option<&str>)> = report
            .refused
            .iter()
            .map(|r| (r.function.as_str(), r.action.as_str(), r.key.as_deref()))
            .collect();
        assert_eq!(
            refused,
            vec![
                ("Other", "dynamodb:GetItem", Some("USER#1")),
                ("Reader", "dynamodb:DeleteItem", Some("USER#1")),
                ("Reader", "dynamodb:GetItem", Some("ORDER#1")),
            ]
        );
        assert_eq!(
            report.unused,
            vec!["Reader: dynamodb:PutItem on USER#* (Statement 0)".to_string()]
        );
        assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
    }

    #[test]
    fn a_policy_the_check_cannot_read_is_reported_not_passed() {
        let template = Template::parse(
            "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: f\n      Policies:\n        - DynamoDBCrudPolicy: { TableName: t }\n",
            &HashMap::new(),
        )
        .unwrap();
        let p = Policies::new(&template, &Resolver::default());
        assert_eq!(p.unreadable.len(), 1, "{:?}", p.unreadable);
    }

    #[test]
    fn globs_match_as_iam_does() {
        assert!(glob("USER#*", "USER#abc"));
        assert!(!glob("USER#*", "USERNAME#abc"));
        assert!(glob("sqs:sendmessage*", "sqs:sendmessagebatch"));
        assert!(glob("arn:*:f*", "arn:x:fun"));
        assert!(!glob("CATALOG", "CATALOG#1"));
    }
}
