use serde::{Deserialize, Serialize};

/// The user model of the spec's contract (`/register`, `/login`, `/auth` all answer with it).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

/// A registration that passed every rule; its password is still plain and must be hashed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub profile: Profile,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub enum RegistrationError {
    /// The spec's own 400: "Username, password, email should be provided".
    Missing,
    InvalidUsername,
    InvalidEmail,
    InvalidPhone,
    WeakPassword,
    InvalidName,
}

impl RegistrationError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing => "missing_fields",
            Self::InvalidUsername => "invalid_username",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidPhone => "invalid_phone",
            Self::WeakPassword => "weak_password",
            Self::InvalidName => "invalid_name",
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            Self::Missing => "Username, password, email should be provided",
            Self::InvalidUsername => {
                "Username must be 3-32 characters: Latin letters, digits, '.', '_' or '-'"
            }
            Self::InvalidEmail => "Email is not a valid address",
            Self::InvalidPhone => "Phone must be a number of 10-15 digits, e.g. +7 999 123-45-67",
            Self::WeakPassword => {
                "Password must be 8-128 characters and contain a letter and a digit"
            }
            Self::InvalidName => "First and last name must be at most 100 characters",
        }
    }
}

pub const MAX_NAME_CHARS: usize = 100;

/// What the client sent. What a registration needs is required in the document; here every
/// field is optional, so that a missing one gets our 400 (`missing_fields`), not serde's.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationForm {
    /// 3 to 32: Latin letters, digits, `.`, `_`, `-`.
    #[schema(required = true, value_type = String, pattern = "^[A-Za-z0-9._-]{3,32}$")]
    pub username: Option<String>,
    /// 8 to 128 characters, a letter and a digit among them.
    #[schema(required = true, value_type = String, min_length = 8, max_length = 128)]
    pub password: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[schema(required = true, value_type = String, format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl RegistrationForm {
    pub fn validate(&self) -> Result<NewUser, RegistrationError> {
        self.validated(true)
    }

    /// A registration through a provider: the password may be left out (the provider is the
    /// way in); one given must pass the same rule. An absent one is an empty `password`.
    pub fn validate_for_sign_on(&self) -> Result<NewUser, RegistrationError> {
        self.validated(false)
    }

    fn validated(&self, password_required: bool) -> Result<NewUser, RegistrationError> {
        let (Some(username), Some(email)) = (present(&self.username), present(&self.email)) else {
            return Err(RegistrationError::Missing);
        };
        // The password is not trimmed: spaces may be part of it.
        let password = match self.password.as_deref() {
            Some(p) if !p.is_empty() => p,
            _ if !password_required => "",
            _ => return Err(RegistrationError::Missing),
        };
        validate_username(username)?;
        if !password.is_empty() {
            validate_password(password)?;
        }
        let email = validate_email(email)?;
        let phone = match present(&self.phone) {
            Some(p) => normalize_phone(p)?,
            None => String::new(),
        };
        let first_name = validate_name(present(&self.first_name).unwrap_or_default())?;
        let last_name = validate_name(present(&self.last_name).unwrap_or_default())?;
        Ok(NewUser {
            profile: Profile {
                username: username.to_string(),
                first_name,
                last_name,
                email,
                phone,
            },
            password: password.to_string(),
        })
    }
}

/// The personal account's editable fields (`PUT /api/me`).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileUpdateForm {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Required to change the e-mail (where a password reset would go): a session left open
    /// on a shared computer must not be enough to take the account over.
    pub current_password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
}

impl ProfileUpdateForm {
    /// Fields left out keep their current value; an e-mail can be changed but not removed.
    pub fn apply(&self, current: &Profile) -> Result<ProfileUpdate, RegistrationError> {
        let email = match &self.email {
            Some(e) if e.trim().is_empty() => return Err(RegistrationError::Missing),
            Some(e) => validate_email(e.trim())?,
            None => current.email.clone(),
        };
        let phone = match &self.phone {
            Some(p) if p.trim().is_empty() => String::new(),
            Some(p) => normalize_phone(p.trim())?,
            None => current.phone.clone(),
        };
        let name = |v: &Option<String>, cur: &str| match v {
            Some(n) => validate_name(n.trim()),
            None => Ok(cur.to_string()),
        };
        Ok(ProfileUpdate {
            first_name: name(&self.first_name, &current.first_name)?,
            last_name: name(&self.last_name, &current.last_name)?,
            email,
            phone,
        })
    }
}

pub fn validate_username(username: &str) -> Result<(), RegistrationError> {
    let len = username.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if (3..=32).contains(&len) && username.chars().all(allowed) {
        Ok(())
    } else {
        Err(RegistrationError::InvalidUsername)
    }
}

pub fn validate_password(password: &str) -> Result<(), RegistrationError> {
    let len = password.chars().count();
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if (8..=128).contains(&len) && has_letter && has_digit {
        Ok(())
    } else {
        Err(RegistrationError::WeakPassword)
    }
}

pub fn validate_email(email: &str) -> Result<String, RegistrationError> {
    vitrina_shared::email::customer_address(email)
        .map(str::to_string)
        .ok_or(RegistrationError::InvalidEmail)
}

/// Accepts the ways Russians write phone numbers (`8 (999) 123-45-67`, `+7 999 1234567`) and
/// international ones; stores E.164 (`+79991234567`).
pub fn normalize_phone(phone: &str) -> Result<String, RegistrationError> {
    if phone.len() > 32
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
        || phone.chars().skip(1).any(|c| c == '+')
    {
        return Err(RegistrationError::InvalidPhone);
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let digits = if !phone.starts_with('+') && digits.len() == 11 && digits.starts_with('8') {
        format!("7{}", &digits[1..])
    } else if !phone.starts_with('+') && digits.len() == 10 {
        format!("7{digits}")
    } else {
        digits
    };
    if (10..=15).contains(&digits.len()) {
        Ok(format!("+{digits}"))
    } else {
        Err(RegistrationError::InvalidPhone)
    }
}

fn validate_name(name: &str) -> Result<String, RegistrationError> {
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        Err(RegistrationError::InvalidName)
    } else {
        Ok(name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            username: Some("ivan.petrov".into()),
            password: Some("секрет123".into()),
            first_name: Some(" Иван ".into()),
            last_name: Some("Петров".into()),
            email: Some("ivan@example.ru".into()),
            phone: Some("8 (999) 123-45-67".into()),
        }
    }

    #[test]
    fn valid_form_is_normalised() {
        let user = form().validate().unwrap();
        assert_eq!(user.profile.first_name, "Иван");
        assert_eq!(user.profile.phone, "+79991234567");
        assert_eq!(user.password, "секрет123");
    }

    #[test]
    fn missing_required_fields_give_the_spec_error() {
        for f in [
            RegistrationForm {
                username: None,
                ..form()
            },
            RegistrationForm {
                password: Some(String::new()),
                ..form()
            },
            RegistrationForm {
                email: Some("   ".into()),
                ..form()
            },
        ] {
            assert_eq!(f.validate(), Err(RegistrationError::Missing));
        }
        assert_eq!(
            RegistrationError::Missing.message(),
            "Username, password, email should be provided"
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let cases = [
            (
                RegistrationForm {
                    username: Some("a b".into()),
                    ..form()
                },
                RegistrationError::InvalidUsername,
            ),
            (
                RegistrationForm {
                    password: Some("short1".into()),
                    ..form()
                },
                RegistrationError::WeakPassword,
            ),
            (
                RegistrationForm {
                    password: Some("onlyletters".into()),
                    ..form()
                },
                RegistrationError::WeakPassword,
            ),
            (
                RegistrationForm {
                    email: Some("not-an-email".into()),
                    ..form()
                },
                RegistrationError::InvalidEmail,
            ),
            (
                RegistrationForm {
                    email: Some("a@localhost".into()),
                    ..form()
                },
                RegistrationError::InvalidEmail,
            ),
            (
                RegistrationForm {
                    phone: Some("12ab".into()),
                    ..form()
                },
                RegistrationError::InvalidPhone,
            ),
            (
                RegistrationForm {
                    first_name: Some("x".repeat(101)),
                    ..form()
                },
                RegistrationError::InvalidName,
            ),
        ];
        for (f, want) in cases {
            assert_eq!(f.validate(), Err(want));
        }
    }

    #[test]
    fn phones_in_common_shapes() {
        assert_eq!(normalize_phone("+7 999 123-45-67").unwrap(), "+79991234567");
        assert_eq!(normalize_phone("9991234567").unwrap(), "+79991234567");
        assert_eq!(
            normalize_phone("+44 20 7946 0958").unwrap(),
            "+442079460958"
        );
        assert!(normalize_phone("123").is_err());
        assert!(normalize_phone("+7+999").is_err());
    }

    #[test]
    fn profile_update_keeps_what_is_left_out() {
        let current = form().validate().unwrap().profile;
        let upd = ProfileUpdateForm {
            first_name: Some("Пётр".into()),
            ..Default::default()
        }
        .apply(&current)
        .unwrap();
        assert_eq!(upd.first_name, "Пётр");
        assert_eq!(upd.email, current.email);
        assert_eq!(upd.phone, current.phone);
        let err = ProfileUpdateForm {
            email: Some("".into()),
            ..Default::default()
        }
        .apply(&current);
        assert_eq!(err, Err(RegistrationError::Missing));
    }
}
