//! Profiles: named API keys kept by `auth login`, each in the system's keyring where there is
//! one, or else in a file only the user can read, with the number and base URL the profile
//! uses. The keys never go in the profiles file, on the command line or in any output.
//!
//! - The configuration directory: `PILOT_STATUS_CONFIG_DIR`, or `%APPDATA%\pilot-status` on
//!   Windows, or `$XDG_CONFIG_HOME/pilot-status` (`~/.config/pilot-status`) elsewhere.
//! - `profiles.json` there: each profile's store, key prefix, number id and base URL.
//! - Keys: the system keyring (service `pilot-status`, the profile's name as the account), or
//!   `keys/<profile>` there (mode 0600, in a 0700 directory on Unix).
//! - `PILOT_STATUS_KEYRING`: `auto` (the keyring, or the file when there is none), `system`
//!   (the keyring or fail) or `file` (never the keyring: scripts, tests, CI).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// The profile commands use when none is named (and no key is in the environment).
pub const DEFAULT_PROFILE: &str = "default";
/// The environment variable that names where the configuration is.
pub const CONFIG_DIR_VARIABLE: &str = "PILOT_STATUS_CONFIG_DIR";
/// The environment variable that picks where keys are kept.
pub const KEYRING_VARIABLE: &str = "PILOT_STATUS_KEYRING";
/// The keyring service the keys are kept under.
const SERVICE: &str = "pilot-status";

/// Where a profile's key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Store {
    /// The system's keyring.
    Keyring,
    /// `keys/<profile>` in the configuration directory, readable only by the user.
    File,
}

impl Store {
    /// How `auth status` names it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Keyring => "the system keyring",
            Self::File => "a file only you can read",
        }
    }
}

/// `PILOT_STATUS_KEYRING`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The keyring where there is one, else the file.
    Auto,
    /// The keyring, or fail.
    System,
    /// The file.
    File,
}

impl Backend {
    /// From `PILOT_STATUS_KEYRING` (`auto` when unset).
    pub fn from_env() -> Result<Self, CliError> {
        match std::env::var(KEYRING_VARIABLE)
            .ok()
            .as_deref()
            .map(str::trim)
        {
            None | Some("" | "auto") => Ok(Self::Auto),
            Some("system") => Ok(Self::System),
            Some("file") => Ok(Self::File),
            Some(other) => Err(CliError::Usage(format!(
                "{KEYRING_VARIABLE}={other:?}: expected auto, system or file"
            ))),
        }
    }
}

/// What `profiles.json` keeps of a profile (never its key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Where its key is.
    pub store: Store,
    /// The first characters of its key, for `auth status`.
    pub key_prefix: String,
    /// The number it acts for (`--number-id`), if set at login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_id: Option<String>,
    /// The base URL (`--base-url`), if set at login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

/// `profiles.json`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Profiles {
    /// By name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// The configuration directory.
pub fn config_dir() -> Result<PathBuf, CliError> {
    let set = |name: &str| {
        std::env::var_os(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = set(CONFIG_DIR_VARIABLE) {
        return Ok(dir);
    }
    let base = if cfg!(windows) {
        set("APPDATA")
    } else {
        set("XDG_CONFIG_HOME").or_else(|| set("HOME").map(|home| home.join(".config")))
    };
    base.map(|base| base.join("pilot-status")).ok_or_else(|| {
        CliError::Usage(format!(
            "no configuration directory: set {CONFIG_DIR_VARIABLE} (or HOME)"
        ))
    })
}

/// A profile name: 1 to 64 letters, digits, `-` or `_` (it names a file).
pub fn check_name(name: &str) -> Result<(), CliError> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(CliError::Usage(format!(
            "profile {name:?}: a name is 1 to 64 letters, digits, - or _"
        )));
    }
    Ok(())
}

/// The first characters of a key, enough to tell keys apart and too few to use: at most 8,
/// and at most a third of the key.
pub fn prefix(key: &str) -> String {
    let count = key.chars().count();
    let shown: String = key.chars().take(8.min(count / 3)).collect();
    format!("{shown}…")
}

impl Profiles {
    fn path() -> Result<PathBuf, CliError> {
        Ok(config_dir()?.join("profiles.json"))
    }

    /// The profiles (none when the file does not exist).
    pub fn load() -> Result<Self, CliError> {
        let path = Self::path()?;
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
                CliError::Usage(format!(
                    "{} is not a profiles file: {error}",
                    path.display()
                ))
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(CliError::Read {
                what: path.display().to_string(),
                source,
            }),
        }
    }

    /// Writes the profiles back.
    pub fn save(&self) -> Result<(), CliError> {
        let path = Self::path()?;
        let text = serde_json::to_vec_pretty(self).map_err(CliError::Json)?;
        write_private(&path, &text)
    }
}

/// Creates `dir` (and its parents), readable only by the user on Unix.
fn private_dir(dir: &Path) -> Result<(), CliError> {
    let error = |source| CliError::Write {
        what: dir.display().to_string(),
        source,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(error)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map_err(error)
    }
}

/// Writes `bytes` to `path` through a temporary file renamed over it, readable and writable
/// only by the user on Unix (mode 0600 from creation, so the bytes are never readable by
/// others, even for a moment).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    if let Some(dir) = path.parent() {
        private_dir(dir)?;
    }
    let error = |source| CliError::Write {
        what: path.display().to_string(),
        source,
    };
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let _ = std::fs::remove_file(&temporary);
    let mut file = options.open(&temporary).map_err(error)?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(error)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(error)
}

/// The file that holds a profile's key when it is not in the keyring.
fn key_file(profile: &str) -> Result<PathBuf, CliError> {
    Ok(config_dir()?.join("keys").join(profile))
}

/// Keeps `key` for `profile` as `backend` says; returns where it went, and why the keyring
/// was not used when `auto` fell back to the file.
pub fn store_key(
    profile: &str,
    key: &str,
    backend: Backend,
) -> Result<(Store, Option<String>), CliError> {
    let keyring_error = match backend {
        Backend::File => None,
        Backend::System | Backend::Auto => match system::set(profile, key) {
            Ok(()) => {
                // A key left in a file by an earlier login is not kept beside it.
                let _ = std::fs::remove_file(key_file(profile)?);
                return Ok((Store::Keyring, None));
            }
            Err(reason) if backend == Backend::Auto => Some(reason),
            Err(reason) => {
                return Err(CliError::Keyring(format!(
                    "cannot keep the key in the system keyring ({KEYRING_VARIABLE}=system): \
                     {reason}"
                )));
            }
        },
    };
    write_private(&key_file(profile)?, key.as_bytes())?;
    Ok((Store::File, keyring_error))
}

/// The key of `profile`, from where it was kept.
pub fn load_key(name: &str, profile: &Profile) -> Result<String, CliError> {
    let key = match profile.store {
        Store::Keyring => system::get(name).map_err(|reason| {
            CliError::Keyring(format!(
                "the key of profile {name} is in the system keyring, which answered: {reason}"
            ))
        })?,
        Store::File => {
            let path = key_file(name)?;
            std::fs::read_to_string(&path).map_err(|source| CliError::Read {
                what: format!("the key of profile {name} ({})", path.display()),
                source,
            })?
        }
    };
    let key = key.trim().to_owned();
    if key.is_empty() {
        return Err(CliError::Usage(format!(
            "the key of profile {name} is empty: run `pilot-status auth login --profile {name}`"
        )));
    }
    Ok(key)
}

/// Forgets the key of `profile`, wherever it is.
pub fn delete_key(name: &str, profile: &Profile) -> Result<(), CliError> {
    match profile.store {
        Store::Keyring => system::delete(name).map_err(|reason| {
            CliError::Keyring(format!(
                "cannot remove the key of profile {name} from the system keyring: {reason}"
            ))
        }),
        Store::File => match std::fs::remove_file(key_file(name)?) {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(CliError::Write {
                what: format!("the key file of profile {name}"),
                source,
            }),
        },
    }
}

/// The system keyring, where the platform has one this build can reach.
#[cfg(any(target_os = "linux", target_os = "macos", windows))]
mod system {
    use super::SERVICE;

    fn entry(profile: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(SERVICE, profile).map_err(|error| error.to_string())
    }

    pub fn set(profile: &str, key: &str) -> Result<(), String> {
        entry(profile)?
            .set_password(key)
            .map_err(|error| error.to_string())
    }

    pub fn get(profile: &str) -> Result<String, String> {
        entry(profile)?
            .get_password()
            .map_err(|error| error.to_string())
    }

    pub fn delete(profile: &str) -> Result<(), String> {
        match entry(profile)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(error.to_string()),
        }
    }
}

/// No keyring this build can reach on this platform: keys go in the file.
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod system {
    const NONE: &str = "this build has no system keyring for this platform";

    pub fn set(_: &str, _: &str) -> Result<(), String> {
        Err(NONE.to_owned())
    }

    pub fn get(_: &str) -> Result<String, String> {
        Err(NONE.to_owned())
    }

    pub fn delete(_: &str) -> Result<(), String> {
        Err(NONE.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_shows_too_little_to_use() {
        assert_eq!(prefix("ps_live_5e1d7c0a9b3f4e2d"), "ps_live_…");
        assert_eq!(prefix("ps_short"), "ps…");
        assert_eq!(prefix("abc"), "a…");
        assert_eq!(prefix(""), "…");
    }

    #[test]
    fn profile_names_are_file_names() {
        assert!(check_name("work-2_b").is_ok());
        for bad in ["", "../x", "a b", "a/b", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
