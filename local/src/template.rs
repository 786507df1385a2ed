//! Reads `template.yaml`: the one list of what exists. The local runtime provisions, routes and
//! subscribes from it, so a function or queue that is not in the template does not exist here
//! either.

use serde_yaml::Value;
use std::collections::{BTreeMap, HashMap};

pub const ACCOUNT: &str = "123456789012";

#[derive(Debug, Clone)]
pub struct Template {
    pub parameters: HashMap<String, String>,
    pub resources: BTreeMap<String, Value>,
    pub globals_env: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: String,
    pub path: String,
    /// `None`: the route is open (`Auth: {Authorizer: NONE}`).
    pub authorizer: Option<String>,
}

#[derive(Debug, Clone)]
pub struct SqsMapping {
    pub queue: String,
    pub batch_size: i32,
    pub report_item_failures: bool,
}

/// A DynamoDB Streams event-source mapping.
#[derive(Debug, Clone)]
pub struct StreamMapping {
    /// The table's logical id.
    pub table: String,
    pub batch_size: i32,
    pub report_item_failures: bool,
    pub maximum_retry_attempts: u32,
    /// `BisectBatchOnFunctionError`: a failing batch is split in two, so one record that
    /// keeps failing is given up alone instead of with its neighbours.
    pub bisect_on_error: bool,
    /// `TRIM_HORIZON` or `LATEST`.
    pub starting_position: String,
    /// Event filter patterns (JSON); a record passes when any matches. Empty: all pass.
    pub filters: Vec<serde_json::Value>,
    /// The on-failure queue's logical id.
    pub on_failure: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FunctionSpec {
    pub logical_id: String,
    pub binary: String,
    pub handler: String,
    pub timeout_seconds: u64,
    pub env: BTreeMap<String, Value>,
    pub routes: Vec<Route>,
    pub sqs: Vec<SqsMapping>,
    pub streams: Vec<StreamMapping>,
}

#[derive(Debug, Clone)]
pub struct AuthorizerSpec {
    pub name: String,
    pub function: String,
    pub identity_headers: Vec<String>,
}

fn stream_mapping(id: &str, p: &Value) -> Result<StreamMapping, String> {
    let table = p
        .get("Stream")
        .and_then(referenced_id)
        .ok_or(format!("{id}: DynamoDB event without a table's StreamArn"))?;
    let mut filters = Vec::new();
    if let Some(Value::Sequence(fs)) = get(p, &["FilterCriteria", "Filters"]) {
        for f in fs {
            let text = str_of(f.get("Pattern")).ok_or(format!("{id}: a filter without Pattern"))?;
            filters.push(
                serde_json::from_str(&text).map_err(|e| format!("{id}: filter pattern: {e}"))?,
            );
        }
    }
    Ok(StreamMapping {
        table,
        batch_size: str_of(p.get("BatchSize"))
            .and_then(|b| b.parse().ok())
            .unwrap_or(100),
        report_item_failures: matches!(p.get("FunctionResponseTypes"), Some(Value::Sequence(s))
            if s.iter().any(|t| t.as_str() == Some("ReportBatchItemFailures"))),
        maximum_retry_attempts: str_of(p.get("MaximumRetryAttempts"))
            .and_then(|b| b.parse().ok())
            .unwrap_or(u32::MAX),
        bisect_on_error: str_of(p.get("BisectBatchOnFunctionError")).as_deref() == Some("true"),
        starting_position: str_of(p.get("StartingPosition")).unwrap_or_else(|| "LATEST".into()),
        filters,
        on_failure: get(p, &["DestinationConfig", "OnFailure", "Destination"])
            .and_then(referenced_id),
    })
}

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

/// A scalar as a string (YAML numbers and booleans included).
pub fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `!GetAtt X.Arn` / `!Ref X` / `{"Fn::GetAtt": [X, Arn]}` → the logical id X.
pub fn referenced_id(v: &Value) -> Option<String> {
    match v {
        Value::Tagged(t) if t.tag == "!Ref" || t.tag == "!GetAtt" => {
            str_of(Some(&t.value)).map(|s| s.split('.').next().unwrap_or_default().to_string())
        }
        Value::Mapping(m) => m.get("Ref").and_then(|r| str_of(Some(r))).or_else(|| {
            m.get("Fn::GetAtt")
                .and_then(|g| g.get(0))
                .and_then(|x| str_of(Some(x)))
        }),
        _ => None,
    }
}

impl Template {
    pub fn load(path: &str, parameter_overrides: &HashMap<String, String>) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        Self::parse(&text, parameter_overrides).map_err(|e| format!("{path}: {e}"))
    }

    pub fn parse(text: &str, overrides: &HashMap<String, String>) -> Result<Self, String> {
        let doc: Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let mut parameters = HashMap::new();
        if let Some(Value::Mapping(params)) = doc.get("Parameters") {
            for (k, v) in params {
                if let (Some(k), Some(d)) = (str_of(Some(k)), str_of(v.get("Default"))) {
                    parameters.insert(k, d);
                }
            }
        }
        parameters.extend(overrides.clone());
        let resources = match doc.get("Resources") {
            Some(Value::Mapping(m)) => m
                .iter()
                .filter_map(|(k, v)| Some((str_of(Some(k))?, v.clone())))
                .collect(),
            _ => return Err("no Resources".into()),
        };
        let globals_env = match get(&doc, &["Globals", "Function", "Environment", "Variables"]) {
            Some(Value::Mapping(m)) => m
                .iter()
                .filter_map(|(k, v)| Some((str_of(Some(k))?, v.clone())))
                .collect(),
            _ => BTreeMap::new(),
        };
        Ok(Self {
            parameters,
            resources,
            globals_env,
        })
    }

    /// Adds another template's resources (test fixtures); a clash of logical ids is an error.
    pub fn merge(&mut self, other: Template) -> Result<(), String> {
        for (k, v) in other.resources {
            if self.resources.insert(k.clone(), v).is_some() {
                return Err(format!("resource {k} is defined twice"));
            }
        }
        Ok(())
    }

    pub fn of_type<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.resources
            .iter()
            .filter(move |(_, r)| str_of(r.get("Type")).as_deref() == Some(kind))
    }

    pub fn functions(&self) -> Result<Vec<FunctionSpec>, String> {
        let default_authorizer = self
            .of_type("AWS::Serverless::HttpApi")
            .find_map(|(_, api)| str_of(get(api, &["Properties", "Auth", "DefaultAuthorizer"])));
        let mut out = Vec::new();
        for (id, res) in self.of_type("AWS::Serverless::Function") {
            let props = res
                .get("Properties")
                .ok_or(format!("{id}: no Properties"))?;
            let binary = str_of(get(res, &["Metadata", "BuildProperties", "Binary"]))
                .ok_or(format!("{id}: no Metadata.BuildProperties.Binary"))?;
            let handler = str_of(props.get("Handler")).ok_or(format!("{id}: no Handler"))?;
            let timeout_seconds = str_of(props.get("Timeout"))
                .and_then(|t| t.parse().ok())
                .unwrap_or(10);
            let mut env = self.globals_env.clone();
            if let Some(Value::Mapping(vars)) = get(props, &["Environment", "Variables"]) {
                for (k, v) in vars {
                    if let Some(k) = str_of(Some(k)) {
                        env.insert(k, v.clone());
                    }
                }
            }
            let mut routes = Vec::new();
            let mut sqs = Vec::new();
            let mut streams = Vec::new();
            if let Some(Value::Mapping(events)) = props.get("Events") {
                for (_, ev) in events {
                    let p = ev.get("Properties");
                    match str_of(ev.get("Type")).as_deref() {
                        Some("HttpApi") => {
                            let p = p.ok_or(format!("{id}: HttpApi event without Properties"))?;
                            let authorizer = match str_of(get(p, &["Auth", "Authorizer"])) {
                                Some(a) if a == "NONE" => None,
                                Some(a) => Some(a),
                                None => default_authorizer.clone(),
                            };
                            routes.push(Route {
                                method: str_of(p.get("Method"))
                                    .ok_or(format!("{id}: route without Method"))?
                                    .to_uppercase(),
                                path: str_of(p.get("Path"))
                                    .ok_or(format!("{id}: route without Path"))?,
                                authorizer,
                            });
                        }
                        Some("SQS") => {
                            let p = p.ok_or(format!("{id}: SQS event without Properties"))?;
                            let queue = p
                                .get("Queue")
                                .and_then(referenced_id)
                                .ok_or(format!("{id}: SQS event without a queue reference"))?;
                            let report_item_failures = match p.get("FunctionResponseTypes") {
                                Some(Value::Sequence(s)) => s
                                    .iter()
                                    .any(|t| t.as_str() == Some("ReportBatchItemFailures")),
                                _ => false,
                            };
                            sqs.push(SqsMapping {
                                queue,
                                batch_size: str_of(p.get("BatchSize"))
                                    .and_then(|b| b.parse().ok())
                                    .unwrap_or(10),
                                report_item_failures,
                            });
                        }
                        Some("DynamoDB") => {
                            let p = p.ok_or(format!("{id}: DynamoDB event without Properties"))?;
                            streams.push(stream_mapping(id, p)?);
                        }
                        other => {
                            return Err(format!(
                                "{id}: event type {other:?} is not supported locally"
                            ))
                        }
                    }
                }
            }
            out.push(FunctionSpec {
                logical_id: id.clone(),
                binary,
                handler,
                timeout_seconds,
                env,
                routes,
                sqs,
                streams,
            });
        }
        Ok(out)
    }

    pub fn authorizers(&self) -> Vec<AuthorizerSpec> {
        let mut out = Vec::new();
        for (_, api) in self.of_type("AWS::Serverless::HttpApi") {
            if let Some(Value::Mapping(auths)) = get(api, &["Properties", "Auth", "Authorizers"]) {
                for (name, a) in auths {
                    let (Some(name), Some(function)) = (
                        str_of(Some(name)),
                        a.get("FunctionArn").and_then(referenced_id),
                    ) else {
                        continue;
                    };
                    let identity_headers = match get(a, &["Identity", "Headers"]) {
                        Some(Value::Sequence(h)) => {
                            h.iter().filter_map(|x| str_of(Some(x))).collect()
                        }
                        _ => Vec::new(),
                    };
                    out.push(AuthorizerSpec {
                        name,
                        function,
                        identity_headers,
                    });
                }
            }
        }
        out
    }
}

/// Physical names and attributes of provisioned resources, for `!Ref`, `!GetAtt` and `!Sub`.
#[derive(Debug, Default, Clone)]
pub struct Resolver {
    pub region: String,
    pub parameters: HashMap<String, String>,
    /// logical id → value of `!Ref`
    pub refs: HashMap<String, String>,
    /// "LogicalId.Attr" → value of `!GetAtt`
    pub attrs: HashMap<String, String>,
}

impl Resolver {
    pub fn function_arn(&self, logical_id: &str) -> String {
        format!(
            "arn:aws:lambda:{}:{ACCOUNT}:function:{logical_id}",
            self.region
        )
    }

    pub fn resolve(&self, v: &Value) -> Result<String, String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Tagged(t) => {
                let arg = str_of(Some(&t.value)).ok_or(format!("{} needs a string", t.tag))?;
                match t.tag.to_string().as_str() {
                    "!Ref" => self.reference(&arg),
                    "!GetAtt" => self
                        .attrs
                        .get(&arg)
                        .cloned()
                        .ok_or(format!("!GetAtt {arg}: unknown")),
                    "!Sub" => self.sub(&arg),
                    other => Err(format!("intrinsic {other} is not supported locally")),
                }
            }
            Value::Mapping(m) => {
                if let Some(r) = m.get("Ref").and_then(|r| str_of(Some(r))) {
                    self.reference(&r)
                } else if let Some(Value::Sequence(g)) = m.get("Fn::GetAtt") {
                    let parts: Vec<String> = g.iter().filter_map(|x| str_of(Some(x))).collect();
                    let key = parts.join(".");
                    self.attrs
                        .get(&key)
                        .cloned()
                        .ok_or(format!("GetAtt {key}: unknown"))
                } else {
                    Err("unsupported mapping value".into())
                }
            }
            _ => Err("unsupported value".into()),
        }
    }

    fn reference(&self, name: &str) -> Result<String, String> {
        match name {
            "AWS::Region" => Ok(self.region.clone()),
            "AWS::AccountId" => Ok(ACCOUNT.into()),
            "AWS::StackName" => Ok("vitrina".into()),
            "AWS::Partition" => Ok("aws".into()),
            "AWS::URLSuffix" => Ok("amazonaws.com".into()),
            _ => self
                .parameters
                .get(name)
                .or_else(|| self.refs.get(name))
                .cloned()
                .ok_or(format!("!Ref {name}: unknown")),
        }
    }

    fn sub(&self, s: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').ok_or("unclosed ${ in !Sub")? + start;
            let name = &rest[start + 2..end];
            let value = if name.contains('.') {
                self.attrs
                    .get(name)
                    .cloned()
                    .ok_or(format!("${{{name}}}: unknown"))?
            } else {
                self.reference(name)?
            };
            out.push_str(&value);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = r#"
Parameters:
  Stage: { Type: String, Default: prod }
Globals:
  Function:
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
        STAGE: !Ref Stage
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: A
        Authorizers:
          A:
            FunctionArn: !GetAtt Authz.Arn
            Identity: { Headers: [Cookie] }
  Open:
    Type: AWS::Serverless::Function
    Metadata: { BuildProperties: { Binary: auth } }
    Properties:
      Handler: login
      Events:
        R: { Type: HttpApi, Properties: { Method: post, Path: /api/login, Auth: { Authorizer: NONE } } }
  Closed:
    Type: AWS::Serverless::Function
    Metadata: { BuildProperties: { Binary: billing } }
    Properties:
      Handler: wallet
      Timeout: 3
      Environment: { Variables: { Q: !Sub "${Queue.Arn}/x" } }
      Events:
        R: { Type: HttpApi, Properties: { Method: GET, Path: /api/wallet } }
        S: { Type: SQS, Properties: { Queue: !GetAtt Queue.Arn, BatchSize: 5, FunctionResponseTypes: [ReportBatchItemFailures] } }
"#;

    #[test]
    fn reads_functions_routes_and_mappings() {
        let t = Template::parse(T, &HashMap::from([("Stage".into(), "local".into())])).unwrap();
        let fs = t.functions().unwrap();
        let open = fs.iter().find(|f| f.logical_id == "Open").unwrap();
        assert_eq!(open.routes[0].method, "POST");
        assert_eq!(open.routes[0].authorizer, None);
        let closed = fs.iter().find(|f| f.logical_id == "Closed").unwrap();
        assert_eq!(closed.routes[0].authorizer.as_deref(), Some("A"));
        assert_eq!(closed.timeout_seconds, 3);
        assert_eq!(closed.sqs[0].queue, "Queue");
        assert_eq!(closed.sqs[0].batch_size, 5);
        assert!(closed.sqs[0].report_item_failures);
        let a = &t.authorizers()[0];
        assert_eq!(
            (a.function.as_str(), a.identity_headers.clone()),
            ("Authz", vec!["Cookie".to_string()])
        );

        let r = Resolver {
            region: "us-east-1".into(),
            parameters: t.parameters.clone(),
            refs: HashMap::from([("Table".into(), "vitrina-Table".into())]),
            attrs: HashMap::from([("Queue.Arn".into(), "arn:q".into())]),
        };
        assert_eq!(
            r.resolve(&closed.env["TABLE_NAME"]).unwrap(),
            "vitrina-Table"
        );
        assert_eq!(r.resolve(&closed.env["STAGE"]).unwrap(), "local");
        assert_eq!(r.resolve(&closed.env["Q"]).unwrap(), "arn:q/x");
    }
}
