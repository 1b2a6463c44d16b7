"""An example login flow, type-checked with mypy --strict by scripts/test-python.sh."""

from __future__ import annotations

import asyncio

import kaleyra_verify as kv
from kaleyra_verify import AsyncClient, CheckOutcome, Client


def send_code(client: Client, mobile: str) -> str:
    try:
        return client.generate(mobile).verify_id
    except kv.RateLimitedError as e:
        wait = e.retry_after if e.retry_after is not None else 1.0
        raise RuntimeError(f"too many requests; retry in {wait:.0f}s") from e
    except kv.OutcomeUnknownError:
        raise RuntimeError("a code may have been sent; ask the user before sending another")


def login(client: Client, verify_id: str, typed: str) -> str:
    outcome = client.check(verify_id, typed)
    if outcome is CheckOutcome.VERIFIED:
        return "welcome"
    if outcome is CheckOutcome.WRONG_CODE:
        return "wrong code"
    return f"refused: {outcome.description}"


async def login_async(client: AsyncClient, mobile: str) -> CheckOutcome:
    sent = await client.generate(mobile)
    return await client.check(sent.verify_id, "123456")


def main() -> None:
    with Client.from_env() as client:
        verify_id = send_code(client, "+12025550123")
        print(login(client, verify_id, input("code: ")))
    print(asyncio.run(login_async(AsyncClient.from_env(), "+12025550123")))


if __name__ == "__main__":
    main()
