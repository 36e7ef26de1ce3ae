"""Mail passwords: from the environment first, else from the OS keyring (never from the database)."""

from __future__ import annotations

from collections.abc import Mapping

from followup.errors import ConfigError


def env_variable(name: str) -> str:
    """The environment variable that holds the secret `name`: FOLLOWUP_SMTP_PASSWORD for "smtp"."""
    return f"FOLLOWUP_{name.upper()}_PASSWORD"


class EnvKeyringSecrets:
    """A SecretStore: reads FOLLOWUP_<NAME>_PASSWORD, then the keyring entry "<name>:<account>"."""

    def __init__(self, env: Mapping[str, str], *, service: str = "followup", account: str = "") -> None:
        self._env = env
        self._service = service
        self._account = account

    def get(self, name: str) -> str | None:
        value = self._env.get(env_variable(name))
        if value:
            return value
        try:
            import keyring

            return keyring.get_password(self._service, self._key(name)) or None
        except Exception:  # no backend, a locked or broken keyring: no secret, quietly
            return None

    def set(self, name: str, value: str) -> str:
        import keyring
        import keyring.errors
        from keyring.backends import fail

        no_keyring = ConfigError(
            "No system keyring is available to store the password.",
            hint=f"Set {env_variable(name)} in the environment instead "
            "(FOLLOWUP_SMTP_PASSWORD or FOLLOWUP_IMAP_PASSWORD).",
        )
        try:
            backend = keyring.get_keyring()
        except keyring.errors.KeyringError:
            raise no_keyring from None
        if isinstance(backend, fail.Keyring) or backend.priority < 1:
            raise no_keyring
        try:
            keyring.set_password(self._service, self._key(name), value)
        except keyring.errors.NoKeyringError:
            raise no_keyring from None
        except keyring.errors.KeyringError as exc:
            raise ConfigError(
                f"The system keyring ({backend.name}) refused to store the password: {exc}",
                hint=f"Unlock the keyring and try again, or set {env_variable(name)} in the environment.",
            ) from None
        return f"the system keyring ({backend.name})"

    def _key(self, name: str) -> str:
        return f"{name}:{self._account}"
