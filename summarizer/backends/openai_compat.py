"""Any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp servers) through instructor.

Every HTTP request goes through `_complete`, instructor's `create`: it picks the request shape for the
mode, bounds the timeout by the article budget, counts the usage of every attempt (failed ones too),
and turns what no re-ask can fix into one `ModelCallError` line that names the server and the fix:
4xx and request-validation 500s, a 200 whose body is no chat completion, an answer cut at `max_tokens`
(whatever `finish_reason` says), a timeout against a local server that is still working on the request.

Modes (`--llm-mode`): "tools" (a named tool call; OpenAI, llama-cpp-python), "json_schema"
(`response_format` json_schema; Ollama, vLLM, llama-server), "json_object_schema" (llama-cpp-python's
`{"type": "json_object", "schema": …}`), "auto" (chosen from `GET /models`, switched once when the
first call is refused for its shape, remembered for the run).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from summarizer.backends.base import Extracted, M, ModelCallError, Traits, remaining_s, usage_of
from summarizer.config import LlmMode, Settings, is_local_url, is_openai_url
from summarizer.errors import ConfigError, one_line
from summarizer.schema import Usage

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_SERVER_CONTEXT = 4096
"""Context assumed for a server that does not report its own (llama-cpp-python's server defaults to 2048;
pass --context when it runs with less than 4096)."""
OPENAI_CONTEXT = 128_000
OWNER_MODES: dict[str, LlmMode] = {
    "me": "tools",  # llama-cpp-python: builds a grammar from the named tool (verified)
    "llamacpp": "json_schema",  # C++ llama-server: tools need --jinja; json_schema always works (docs)
    "library": "json_schema",  # Ollama: ignores tool_choice, many models "do not support tools" (docs)
    "ollama": "json_schema",
    "vllm": "json_schema",  # vLLM: guided decoding from response_format (docs)
}
"""`owned_by` in `GET /models` → the mode that server handles best."""
SHAPE_ERRORS: list[tuple[tuple[str, ...], LlmMode | None, str]] = [
    (("does not support tools", "tool_choice", "tools are not supported", "--jinja"), "json_schema",
     "try --llm-mode json_schema"),
    (("literal_error", "json_object", "response_format"), "json_object_schema",
     "try --llm-mode json_object_schema (llama-cpp-python's server) or --llm-mode tools"),
    (("context length", "context_length", "maximum context", "exceeds the context", "n_ctx", "too long"), None,
     "pass --context with the server's context size (smaller chunks and answers)"),
]  # fmt: skip
"""Words in a refusal → the mode that avoids it (in auto mode) and the fix to print."""


class OpenAIBackend:
    name = "openai"

    @staticmethod
    def traits_for(settings: Settings) -> Traits:
        hosted = is_openai_url(settings.base_url)
        # OpenAI (strict mode), vLLM, Ollama and llama.cpp servers all constrain answers to a schema
        return Traits(hosted=hosted, in_process=False, local_server=is_local_url(settings.base_url), billed=hosted,
                      supports_json_schema=True)  # fmt: skip

    @property
    def traits(self) -> Traits:
        return self.traits_for(self._settings)

    def __init__(self, settings: Settings, http_client: Any = None) -> None:
        """`http_client`: an `httpx.Client` (e.g. with rate-limit hooks); the SDK's own by default."""
        import openai

        if not settings.api_key and not settings.base_url:
            raise ConfigError(
                "the openai backend needs a key: set OPENAI_API_KEY (or api_key in the config file), "
                "or point --base-url at a local server"
            )
        # instructor logs every failed attempt at ERROR; our one-line errors say it once. A caller that chose
        # a level (the CLI's -v) keeps it.
        instructor_log = logging.getLogger("instructor")
        if instructor_log.level == logging.NOTSET:
            instructor_log.setLevel(logging.CRITICAL)
        self.model = settings.model or DEFAULT_OPENAI_MODEL
        self.server = "OpenAI" if is_openai_url(settings.base_url) else f"the server at {settings.base_url}"
        self.local = is_local_url(settings.base_url)
        self.timeout_s = settings.request_timeout()
        # The SDK's own retries are off: `calling.ask` retries, once, with the rate limiter in the client.
        self._client = openai.OpenAI(api_key=settings.api_key or "not-needed", base_url=settings.base_url,
                                     timeout=self.timeout_s, max_retries=0, http_client=http_client)  # fmt: skip
        self._settings = settings
        self._mode: LlmMode | None = None if settings.llm_mode == "auto" else settings.llm_mode
        self._context: int | None = settings.context
        self._probe_lock = threading.Lock()
        self._local = threading.local()
        self._creates: dict[str, Callable[..., Any]] = {}

    # -- what the server is ------------------------------------------------------------------------
    @property
    def mode(self) -> LlmMode:
        """The request shape in use; in auto mode decided on first use from the server's model list."""
        if self._mode is None:
            self._probe()
        assert self._mode is not None
        return self._mode

    @property
    def context_tokens(self) -> int:
        """The context window a request must fit in: `--context`, else what the server reports, else a default."""
        if self._context is None and self._settings.base_url and not is_openai_url(self._settings.base_url):
            self._probe()
        if self._context is not None:
            return self._context
        return OPENAI_CONTEXT if is_openai_url(self._settings.base_url) else DEFAULT_SERVER_CONTEXT

    def _probe(self) -> None:
        """Ask the server once (`GET /models`) for what `mode` and `context_tokens` need."""
        with self._probe_lock:
            if self._mode is not None and self._context is not None:
                return  # another thread asked meanwhile
            openai_itself = is_openai_url(self._settings.base_url)
            owner, context = (None, None) if openai_itself else self._ask_models()
            if self._mode is None:
                self._mode = OWNER_MODES.get(owner or "", "tools")
            if self._context is None:
                self._context = context or (OPENAI_CONTEXT if openai_itself else DEFAULT_SERVER_CONTEXT)

    def _ask_models(self) -> tuple[str | None, int | None]:
        """`owned_by` and the context length (vLLM's `max_model_len`) of the first listed model."""
        try:
            page = self._client.models.list(timeout=10.0)
            first = next(iter(page.data), None)
        except Exception:  # a server without the route: nothing learned, defaults apply
            return None, None
        if first is None:
            return None, None
        extra = first.model_extra or {}
        context = extra.get("max_model_len") or (extra.get("meta") or {}).get("n_ctx")
        return str(first.owned_by or "") or None, int(context) if isinstance(context, int) else None

    # -- one extraction --------------------------------------------------------------------------
    def extract(self, messages: list[dict[str, str]], response_model: type[M], max_tokens: int) -> Extracted:
        self._local.spent = spent = Usage()
        try:
            value = self._run(self.mode, messages, response_model, max_tokens)
        except ModelCallError as exc:
            switch = exc.switch_to if self._settings.llm_mode == "auto" else None
            if switch is None or switch == self._mode:
                raise exc.with_usage(spent) from exc.__cause__
            self._mode = switch  # remembered for the rest of the run
            try:
                value = self._run(switch, messages, response_model, max_tokens)
            except ModelCallError as again:
                raise again.with_usage(spent) from again.__cause__
        return Extracted(value=value, usage=spent)

    def _run(self, mode: LlmMode, messages: list[dict[str, str]], response_model: type[M], max_tokens: int) -> Any:
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        self._local.max_tokens = max_tokens
        try:
            return self._create(mode)(
                model=self.model, messages=messages, response_model=response_model,
                max_retries=self._settings.max_retries, temperature=self._settings.temperature,
                seed=self._settings.seed, max_tokens=max_tokens,
            )  # fmt: skip
        except InstructorRetryException as exc:
            if isinstance(exc.__cause__, ModelCallError):
                raise exc.__cause__ from exc.__cause__.__cause__
            if exc.__cause__ is not None and all(a.exception is not exc.__cause__ for a in exc.failed_attempts or ()):
                raise exc.__cause__ from None  # not about the answer: no "failed validation" wording
            problem = f"{exc.n_attempts} attempt(s): {_last_problem(exc)}"
            raise ModelCallError(f"{self.server}: the model's answer failed validation after {problem}",
                                 transient=False) from exc  # fmt: skip
        except IncompleteOutputException as exc:
            raise ModelCallError(self._cut_off(max_tokens), transient=False) from exc

    def _create(self, mode: LlmMode) -> Callable[..., Any]:
        import instructor

        if mode not in self._creates:
            shape = instructor.Mode.TOOLS if mode == "tools" else instructor.Mode.JSON_SCHEMA
            self._creates[mode] = instructor.patch(create=partial(self._complete, mode), mode=shape)
        return self._creates[mode]

    def _complete(self, mode: LlmMode, **kwargs: Any) -> Any:
        """One HTTP request, as instructor asks for it (first try and every re-ask)."""
        import openai
        from openai.types.chat import ChatCompletion

        if mode == "json_object_schema" and (kwargs.get("response_format") or {}).get("type") == "json_schema":
            schema = kwargs["response_format"]["json_schema"]["schema"]
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        timeout = self._timeout()
        try:
            completion = self._client.chat.completions.create(timeout=timeout, **kwargs)
        except openai.APIStatusError as exc:
            raise self._refused(exc) from exc
        except openai.APITimeoutError as exc:
            raise self._timed_out(timeout) from exc
        except openai.APIConnectionError as exc:
            # Nothing listens there (the SDK's transport is httpx or httpx2: matched by name): say so, with the fix.
            if type(exc.__cause__).__name__ == "ConnectError":
                raise ModelCallError(f"cannot reach {self.server}; is it running, and is --base-url right?",
                                     transient=True) from exc  # fmt: skip
            raise ModelCallError(f"{self.server} dropped the connection ({one_line(exc)})", transient=True) from exc
        except json.JSONDecodeError as exc:  # a 200 whose JSON body is broken: the server's fault, no re-ask
            raise ModelCallError(f"{self.server} answered with a broken JSON body ({exc.msg})", transient=True) from exc
        if not isinstance(completion, ChatCompletion) or not completion.choices:
            raise ModelCallError(f"{self.server} answered 200 with {_body_kind(completion)}, not a chat "
                                 "completion: check --base-url (the API root, e.g. http://host:port/v1)",
                                 transient=False)  # fmt: skip
        usage = usage_of(completion)
        self._local.spent.add(usage)
        if usage.completion_tokens >= self._local.max_tokens:
            raise ModelCallError(self._cut_off(self._local.max_tokens), transient=False)
        return completion

    def _timeout(self) -> float:
        left = remaining_s()
        if left is None:
            return self.timeout_s
        if left <= 0.5:
            raise ModelCallError("the article's time budget is spent; no new request is sent", transient=False)
        return min(self.timeout_s, left)

    def _cut_off(self, max_tokens: int) -> str:
        return (f"{self.server}: the answer was cut off at max_tokens={max_tokens}; the model did not finish "
                "its JSON (a bigger --context, or a model that writes less)")  # fmt: skip

    def _timed_out(self, timeout: float) -> ModelCallError:
        if self.local:  # the server is still working on it: sending it again queues the same work twice
            return ModelCallError(f"{self.server} gave no answer within {timeout:g}s and is probably still working "
                                  "on it, so it is not sent again: raise --timeout", transient=False)  # fmt: skip
        return ModelCallError(f"{self.server} gave no answer within {timeout:g}s", transient=True)

    def _refused(self, exc: Any) -> ModelCallError:
        """4xx and request-validation 500s fail fast with the fix; other 5xx and 429 are worth a retry."""
        status = int(exc.status_code)
        text = " ".join(_error_text(exc).split())[:200]
        lowered = text.lower()
        if status != 429:
            for words, switch, fix in SHAPE_ERRORS:
                if any(w in lowered for w in words):
                    return ModelCallError(f"{self.server} refused the {self.mode} request ({status}: {text}); {fix}",
                                          transient=False, switch_to=switch)  # fmt: skip
        if status == 429 or status >= 500:
            return ModelCallError(f"{self.server} failed ({status}: {text})", transient=True)
        fix = {401: "check OPENAI_API_KEY", 403: "check the key's permissions",
               404: "check --base-url (…/v1) and --model"}.get(status, "check --model and --base-url")  # fmt: skip
        return ModelCallError(f"{self.server} refused the request ({status}: {text}); {fix}", transient=False)


def _error_text(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        return str(message or json.dumps(body))
    return str(getattr(exc, "message", "") or exc)


def _body_kind(completion: Any) -> str:
    if isinstance(completion, str):
        return "an HTML page" if completion.lstrip()[:15].lower().startswith(("<!doctype", "<html")) else "plain text"
    return "no choices"


def _last_problem(exc: Any) -> str:
    """The last failed attempt's first validation error, as one short line."""
    from pydantic import ValidationError

    attempts = getattr(exc, "failed_attempts", None) or []
    last = attempts[-1].exception if attempts else exc.__cause__
    if isinstance(last, ValidationError):
        first = last.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answer"
        return f"{where}: {first['msg']} ({last.error_count()} problem(s))"
    return " ".join(str(last).split())[:200] if last else "no usable answer"
