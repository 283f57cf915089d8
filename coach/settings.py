"""All configuration in one pydantic-settings class: COACH_* environment variables and .env."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Coach configuration; every field is documented in the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="COACH_", env_file=".env", extra="ignore")

    knowledge_dir: Path = Field(PROJECT_ROOT / "knowledge", description="Directory of the organisation's knowledge YAML.")
    data_dir: Path = Field(PROJECT_ROOT / ".coach", description="Where the Chroma index, database and caches live.")
    chroma_path: Path | None = Field(None, description="Persistent Chroma directory (default: DATA_DIR/chroma).")
    chroma_host: str | None = Field(None, description="Use a Chroma server at this host instead of the local directory.")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Port of the Chroma server when CHROMA_HOST is set.")
    collection_prefix: str = Field("coach", pattern=r"^[a-zA-Z0-9_-]{1,40}$", description="Prefix of the Chroma collection names.")
    embedding_device: Literal["cpu"] = Field("cpu", description="Device of the embedding model: onnxruntime on the CPU.")
    database_url: str | None = Field(None, description="SQLAlchemy URL (default: SQLite file DATA_DIR/coach.db).")

    llm_provider: Literal["none", "openai"] = Field("none", description="'none': rules engine only; 'openai': any OpenAI-compatible endpoint.")
    llm_base_url: str | None = Field(None, description="Base URL of the OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1.")
    llm_model: str | None = Field(None, description="Model name sent to the endpoint.")
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key for the endpoint.")
    llm_timeout_s: float = Field(30.0, gt=0, le=3600, description="Timeout of one LLM request, seconds (a local model on a few cores may need many minutes).")
    llm_max_retries: int = Field(1, ge=0, le=5, description="Retries of a failed LLM request (connection errors, 429, 5xx).")
    llm_structured_method: Literal["auto", "json_object", "json_schema", "function_calling", "json_mode"] = Field(
        "auto", description="How structured output is requested: 'json_object' sends the schema in the prompt and as "
        "response_format {type: json_object, schema} (llama.cpp's server turns it into a grammar), 'json_schema' for "
        "servers that support it (hosted OpenAI), 'function_calling' as an option; 'auto': json_schema without a base "
        "URL (hosted OpenAI), json_object with one.")
    llm_repair: bool | None = Field(None, description="Send validation errors back for one repair round (default: "
                                    "off for endpoints on this machine, where it doubles minutes of generation and "
                                    "fixed 0 of 10 drafts; on for hosted endpoints).")
    llm_summary_removals: bool = Field(False, description="Let the model remove a rules commitment by listing its "
                                       "line as not a commitment (off: merge only adds; see the README's numbers).")
    llm_redact: bool | None = Field(None, description="Redact e-mails and phone numbers before text leaves the machine (default: on for non-loopback endpoints).")
    llm_temperature: float = Field(0.2, ge=0, le=2, description="Sampling temperature of LLM drafts.")
    llm_max_tokens: int = Field(2048, ge=16, le=32_000, description="Most tokens one LLM answer may use.")

    notes_judge: bool = Field(True, description="Add the commitments the learned judge finds in notes the rules pass over (see README results).")

    host: str = Field("127.0.0.1", description="API bind address for `coach serve`.")
    port: int = Field(8000, ge=1, le=65535, description="API port for `coach serve`.")
    session_hours: float = Field(12.0, gt=0, le=24 * 30, description="How long a web app sign-in lasts, hours.")
    signin_link_minutes: int = Field(60, ge=1, le=7 * 24 * 60, description="How long a one-time sign-in link works, minutes.")
    secure_cookies: bool = Field(False, description="Send the web app's cookies only over HTTPS (set behind a TLS proxy).")
    seed_people_file: Path | None = Field(None, description="YAML of people and reporting lines to seed the store (make run uses the sample).")
    max_body_bytes: int = Field(256_000, ge=1_000, le=10_000_000, description="Largest accepted request body, bytes.")
    max_notes_chars: int = Field(20_000, ge=100, le=1_000_000, description="Longest accepted meeting notes, characters.")
    max_commitments_per_summary: int = Field(50, ge=1, le=500, description="Most commitments one summary keeps (after removing repeats).")
    stuck_note_minutes: int = Field(15, ge=1, le=10_080, description="Notes still 'received' this long after storing are marked failed at start-up.")

    webhook_url: str | None = Field(None, pattern=r"^https?://\S+$", max_length=2000, description="POST an event here when a commitment becomes overdue (`coach webhooks sweep`).")
    webhook_secret: SecretStr | None = Field(None, description="Key of the HMAC-SHA256 signature in X-Coach-Signature (required with WEBHOOK_URL, 16+ characters).")
    webhook_max_attempts: int = Field(3, ge=1, le=10, description="HTTP attempts per webhook delivery in one sweep (retried on connection errors and 5xx).")
    webhook_backoff_s: float = Field(0.5, ge=0, le=60, description="Wait before the first retry, seconds; doubled before each further one.")
    webhook_timeout_s: float = Field(10.0, gt=0, le=120, description="Timeout of one webhook request, seconds.")

    @model_validator(mode="after")
    def _check_webhook(self) -> "Settings":
        if self.webhook_url and (self.webhook_secret is None or len(self.webhook_secret.get_secret_value()) < 16):
            raise ValueError("COACH_WEBHOOK_URL needs COACH_WEBHOOK_SECRET (at least 16 characters) to sign deliveries")
        return self

    @model_validator(mode="after")
    def _check_llm(self) -> "Settings":
        if self.llm_provider == "openai" and not (self.llm_base_url or self.llm_model):
            raise ValueError("COACH_LLM_PROVIDER=openai needs COACH_LLM_MODEL (and COACH_LLM_BASE_URL for a non-OpenAI endpoint)")
        return self

    @property
    def resolved_structured_method(self) -> str:
        """The structured-output method actually used: 'auto' picks by endpoint."""
        if self.llm_structured_method != "auto":
            return self.llm_structured_method
        return "json_object" if self.llm_base_url else "json_schema"

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'coach.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once; tests pass their own Settings instead."""
    return Settings()
