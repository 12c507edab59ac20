"""Tests of the Slack Web API emulator, driven through a real slack_sdk.WebClient over HTTP."""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.slack_emulator import SlackEmulator, validate_message_blocks, validate_view

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}


def modal(title: str = "Check-in", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "checkin",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "goal",
                "label": {"type": "plain_text", "text": "Goal"},
                "element": {"type": "plain_text_input", "action_id": "goal_input", "max_length": 500},
            }
        ],
        **extra,
    }


@pytest.fixture
def emu() -> Iterator[SlackEmulator]:
    emulator = SlackEmulator().start()
    emulator.add_user("U1", tz="Europe/Berlin", name="ada")
    emulator.add_user("U2", name="bob")
    emulator.add_channel("C1", name="team", members=["U1", "U2", "U3", "U4", "U5"])
    emulator.add_channel("C2", name="elsewhere", bot_is_member=False)
    yield emulator
    emulator.stop()


@pytest.fixture
def client(emu: SlackEmulator) -> WebClient:
    return WebClient(token="xoxb-test", base_url=emu.url)


def api_error(exc: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(exc.value.response["error"])


def test_url_and_auth_test(emu: SlackEmulator, client: WebClient) -> None:
    assert emu.url.startswith("http://127.0.0.1:") and emu.url.endswith("/api/")
    response = client.auth_test()
    assert response["user_id"] == "UBOT"
    assert response["team_id"] == "T0001"
    assert response["bot_id"] == "B0001"
    assert response["is_enterprise_install"] is False
    [call] = emu.calls_to("auth.test")
    assert call.token == "xoxb-test" and call.status == 200


def test_a_refused_token_fails_every_call_and_others_still_work(emu: SlackEmulator, client: WebClient) -> None:
    emu.refuse_token("xoxb-revoked", "token_revoked")
    with pytest.raises(SlackApiError) as exc:
        WebClient(token="xoxb-revoked", base_url=emu.url).auth_test()
    assert api_error(exc) == "token_revoked"
    assert client.auth_test()["ok"] is True
    assert emu.violations == []  # a wrong token is the caller's problem, not a message Slack would refuse


def test_the_emulator_can_take_a_given_port() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    emu = SlackEmulator().start(port=port)
    try:
        assert emu.url == f"http://127.0.0.1:{port}/api/"
        assert WebClient(token="xoxb-test", base_url=emu.url).auth_test()["ok"] is True
    finally:
        emu.stop()


def test_users_info_known_and_unknown(emu: SlackEmulator, client: WebClient) -> None:
    user = client.users_info(user="U1")["user"]
    assert user["id"] == "U1" and user["name"] == "ada" and user["tz"] == "Europe/Berlin"
    assert user["tz_offset"] in (3600, 7200)  # CET or CEST, depending on today's date
    assert user["profile"]["display_name"] == "ada" and user["is_bot"] is False
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="U404")
    assert api_error(exc) == "user_not_found"
    assert emu.violations == []  # asking about an unknown user is legitimate


def test_missing_token_and_unknown_method(emu: SlackEmulator) -> None:
    anonymous = WebClient(base_url=emu.url)
    with pytest.raises(SlackApiError) as exc:
        anonymous.auth_test()
    assert api_error(exc) == "not_authed"
    with pytest.raises(SlackApiError) as exc:
        WebClient(token="xoxb-test", base_url=emu.url).api_call("no.suchMethod")
    assert api_error(exc) == "unknown_method"
    assert any("no.suchMethod" in v for v in emu.violations)


def test_views_open_valid(emu: SlackEmulator, client: WebClient) -> None:
    response = client.views_open(trigger_id=emu.new_trigger_id(), view=modal())
    view = response["view"]
    assert view["id"].startswith("V") and view["root_view_id"] == view["id"] and view["hash"]
    assert view["callback_id"] == "checkin"
    assert [v["id"] for v in emu.opened_views] == [view["id"]]
    assert emu.violations == []


def test_views_open_expired_trigger() -> None:
    with SlackEmulator(trigger_ttl=0.2) as emu:
        client = WebClient(token="xoxb-test", base_url=emu.url)
        trigger = emu.new_trigger_id()
        time.sleep(0.25)
        with pytest.raises(SlackApiError) as exc:
            client.views_open(trigger_id=trigger, view=modal())
        assert api_error(exc) == "expired_trigger_id"
        assert len(emu.violations) == 1 and "expired_trigger_id" in emu.violations[0]
        assert emu.opened_views == []


def test_views_open_reused_and_unknown_trigger(emu: SlackEmulator, client: WebClient) -> None:
    trigger = emu.new_trigger_id()
    client.views_open(trigger_id=trigger, view=modal())
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id=trigger, view=modal())
    assert api_error(exc) == "exchanged_trigger_id"
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id="123.never.issued", view=modal())
    assert api_error(exc) == "invalid_trigger_id"
    assert len(emu.violations) == 2 and len(emu.opened_views) == 1


def test_views_open_overlong_title_is_a_violation(emu: SlackEmulator, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id=emu.new_trigger_id(), view=modal(title="A title that is far too long"))
    assert api_error(exc) == "invalid_arguments"
    assert exc.value.response["errors"]
    assert len(emu.violations) == 1 and "title" in emu.violations[0]
    assert emu.opened_views == []


def test_views_publish_and_update(emu: SlackEmulator, client: WebClient) -> None:
    home = {"type": "home", "blocks": [SECTION]}
    published = client.views_publish(user_id="U1", view=home)["view"]
    assert emu.home_views["U1"]["id"] == published["id"]
    updated = client.views_update(view_id=published["id"], view={"type": "home", "blocks": [SECTION, SECTION]})
    assert updated["view"]["id"] == published["id"] and updated["view"]["hash"] != published["hash"]
    assert len(emu.home_views["U1"]["blocks"]) == 2
    with pytest.raises(SlackApiError) as exc:
        client.views_update(view_id="V999999", view=modal())
    assert api_error(exc) == "not_found"
    with pytest.raises(SlackApiError) as exc:
        client.views_publish(user_id="U1", view=modal())  # a modal is not a Home tab
    assert api_error(exc) == "invalid_arguments"
    assert len(emu.violations) == 1


def test_post_message_to_user_is_a_dm(emu: SlackEmulator, client: WebClient) -> None:
    metadata = {"event_type": "nudge_sent", "event_payload": {"week": 3}}
    first = client.chat_postMessage(channel="U1", text="hi", blocks=[SECTION], metadata=metadata)
    second = client.chat_postMessage(channel="DU1", text="again")
    assert first["channel"] == "DU1" and second["channel"] == "DU1"
    assert float(second["ts"]) > float(first["ts"])
    assert emu.messages["U1"] is emu.messages["DU1"]
    assert [m["text"] for m in emu.messages["U1"]] == ["hi", "again"]
    assert emu.messages["U1"][0]["metadata"] == metadata
    assert len(emu.post_times("U1")) == 2
    history = client.conversations_history(channel="DU1", include_all_metadata=True)["messages"]
    assert [m["text"] for m in history] == ["again", "hi"]  # newest first
    assert history[1]["metadata"] == metadata
    assert emu.violations == []


def test_post_message_channel_rules(emu: SlackEmulator, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C2", text="hello")
    assert api_error(exc) == "not_in_channel"
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C404", text="hello")
    assert api_error(exc) == "channel_not_found"
    ok = client.chat_postMessage(channel="C1", text="hello")
    assert ok["channel"] == "C1" and emu.messages["C1"][0]["ts"] == ok["ts"]
    assert "C2" not in emu.messages and emu.post_times("C2") == []


def test_blocks_without_text_is_a_violation(emu: SlackEmulator, client: WebClient) -> None:
    with pytest.warns(UserWarning):  # slack_sdk itself warns too
        response = client.chat_postMessage(channel="C1", blocks=[SECTION])
    assert response["ok"] is True and response["warning"] == "missing_text"
    assert len(emu.violations) == 1 and "without text" in emu.violations[0]


def test_invalid_blocks_are_refused(emu: SlackEmulator, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="too many", blocks=[SECTION] * 51)
    assert api_error(exc) == "invalid_blocks"
    duplicate = [{**SECTION, "block_id": "same"}, {**SECTION, "block_id": "same"}]
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="dup", blocks=duplicate)
    assert "duplicate block_id" in " ".join(exc.value.response["errors"])
    assert len(emu.violations) == 2 and "C1" not in emu.messages


def test_form_encoded_json_fields_are_decoded(emu: SlackEmulator, client: WebClient) -> None:
    response = client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "form", "blocks": '[{"type": "divider"}]'}
    )
    assert response["ok"] is True
    assert emu.messages["C1"][0]["blocks"] == [{"type": "divider"}]
    assert emu.calls_to("chat.postMessage")[0].args["blocks"] == [{"type": "divider"}]


def test_rate_limited_first_attempt_is_retried(emu: SlackEmulator) -> None:
    emu.rate_limit_first_attempt("chat.postMessage", retry_after=0)  # 0 keeps the retry sleep under 1 s
    client = WebClient(
        token="xoxb-test", base_url=emu.url, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)]
    )
    response = client.chat_postMessage(channel="C1", text="eventually")
    assert response["ok"] is True
    assert [c.status for c in emu.calls_to("chat.postMessage")] == [429, 200]
    assert len(emu.messages["C1"]) == 1 and len(emu.post_times("C1")) == 1


def test_rate_limited_without_retry_handler_raises(emu: SlackEmulator, client: WebClient) -> None:
    emu.rate_limit_first_attempt("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="once")
    assert exc.value.response.status_code == 429
    assert exc.value.response.headers["Retry-After"] == "7"
    assert client.chat_postMessage(channel="C1", text="once")["ok"] is True  # the same request again passes


def test_fail_next_answers_server_error_once(emu: SlackEmulator, client: WebClient) -> None:
    emu.fail_next("chat.postMessage", status=500)
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="first")
    assert exc.value.response.status_code == 500 and api_error(exc) == "internal_error"
    assert client.chat_postMessage(channel="C1", text="second")["ok"] is True
    assert [c.status for c in emu.calls_to("chat.postMessage")] == [500, 200]
    assert [m["text"] for m in emu.messages["C1"]] == ["second"]


def test_files_upload_v2_end_to_end(emu: SlackEmulator, client: WebClient) -> None:
    content = "week,score\n1,3\nnaïve ✓\n"
    response = client.files_upload_v2(channel="C1", content=content, filename="report.csv", initial_comment="Report")
    assert response["file"]["name"] == "report.csv"
    [upload] = emu.uploads
    assert upload["channel_id"] == "C1" and upload["filename"] == "report.csv"
    assert upload["content"] == content.encode("utf-8")
    assert upload["initial_comment"] == "Report"
    assert [c.method for c in emu.calls] == ["files.getUploadURLExternal", "files.completeUploadExternal"]
    assert emu.violations == []


def test_conversations_members_pagination(emu: SlackEmulator, client: WebClient) -> None:
    first = client.conversations_members(channel="C1", limit=2)
    assert first["members"] == ["U1", "U2"] and first["response_metadata"]["next_cursor"]
    pages = [page["members"] for page in client.conversations_members(channel="C1", limit=2)]
    assert pages == [["U1", "U2"], ["U3", "U4"], ["U5"]]
    assert emu.calls_to("conversations.members")[-1].args["cursor"]
    with pytest.raises(SlackApiError) as exc:
        client.conversations_members(channel="C404")
    assert api_error(exc) == "channel_not_found"


def test_set_user_gone(emu: SlackEmulator, client: WebClient) -> None:
    emu.set_user_gone("U2", "account_inactive")
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="U2", text="hello?")
    assert api_error(exc) == "account_inactive"
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="DU2", text="hello?")
    assert api_error(exc) == "account_inactive"
    assert "U2" not in emu.messages and emu.post_times("U2") == []
    assert client.chat_postMessage(channel="U1", text="still fine")["ok"] is True


def test_update_react_and_ephemeral(emu: SlackEmulator, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="draft")
    client.chat_update(channel="C1", ts=posted["ts"], text="final")
    assert emu.messages["C1"][0]["text"] == "final"
    client.reactions_add(channel="C1", timestamp=posted["ts"], name="tada")
    with pytest.raises(SlackApiError) as exc:
        client.reactions_add(channel="C1", timestamp=posted["ts"], name="tada")
    assert api_error(exc) == "already_reacted"
    with pytest.raises(SlackApiError) as exc:
        client.chat_update(channel="C1", ts="1.000001", text="nope")
    assert api_error(exc) == "message_not_found"
    client.chat_postEphemeral(channel="C1", user="U1", text="just you")
    assert emu.reactions == [{"channel": "C1", "timestamp": posted["ts"], "name": "tada"}]
    assert emu.ephemerals[0]["user"] == "U1" and emu.ephemerals[0]["text"] == "just you"


def test_wait_for_and_delay(emu: SlackEmulator, client: WebClient) -> None:
    emu.set_delay("auth.test", 0.3)
    worker = threading.Thread(target=client.auth_test)
    started = time.monotonic()
    worker.start()
    [call] = emu.wait_for("auth.test", timeout=2)
    assert worker.is_alive()  # recorded before the delayed answer went out
    worker.join()
    assert time.monotonic() - started >= 0.3 and call.status == 200
    with pytest.raises(AssertionError, match="auth.test"):
        emu.wait_for("chat.postMessage", timeout=0.05)


def test_concurrent_posts_get_unique_ts(emu: SlackEmulator, client: WebClient) -> None:
    def post(i: int) -> None:
        client.chat_postMessage(channel="C1", text=f"m{i}")

    threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps = [m["ts"] for m in emu.messages["C1"]]
    assert len(stamps) == 8 and len(set(stamps)) == 8 and stamps == sorted(stamps)


def test_reset_keeps_directory(emu: SlackEmulator, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="x")
    emu.fail_next("users.info")
    emu.reset()
    assert emu.calls == [] and emu.messages == {} and emu.violations == []
    assert client.users_info(user="U1")["user"]["name"] == "ada"  # users kept, fault cleared
    assert client.conversations_info(channel="C1")["channel"]["name"] == "team"


def test_validators_directly() -> None:
    assert validate_message_blocks([SECTION]) == []
    assert validate_view(modal()) == []
    too_many_options = {
        "type": "actions",
        "elements": [
            {
                "type": "checkboxes",
                "action_id": "c",
                "options": [{"text": {"type": "plain_text", "text": str(i)}, "value": str(i)} for i in range(11)],
            }
        ],
    }
    assert any("max 10" in e for e in validate_message_blocks([too_many_options]))
    long_value = {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Go"},
                                                   "action_id": "go", "value": "v" * 2001}]}
    assert any("button value" in e for e in validate_message_blocks([long_value]))
    assert any("private_metadata" in e for e in validate_view(modal(private_metadata="x" * 3001)))


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff" * (3 * width) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_an_unshared_png_upload_can_be_shown_by_an_image_block(emu: SlackEmulator, client: WebClient) -> None:
    uploaded = client.files_upload_v2(content=_png(30, 20), filename="picture.png", title="A picture")
    file_id = uploaded["file"]["id"]
    [upload] = emu.uploads
    assert upload["channel_id"] is None and upload["image"] == (30, 20)
    image = {"type": "image", "slack_file": {"id": file_id}, "alt_text": "a picture"}
    assert client.chat_postMessage(channel="U1", text="picture", blocks=[image])["ok"] is True
    assert emu.violations == []


def test_an_image_block_must_name_an_uploaded_image(emu: SlackEmulator, client: WebClient) -> None:
    client.files_upload_v2(content="not a picture", filename="notes.txt")
    text_file = emu.uploads[0]["file_id"]
    for file_id in ("F404", text_file):
        with pytest.raises(SlackApiError) as exc:
            client.chat_postMessage(channel="U1", text="picture", blocks=[
                {"type": "image", "slack_file": {"id": file_id}, "alt_text": "a picture"}])
        assert api_error(exc) == "invalid_blocks"
    assert len(emu.violations) == 2 and "names no completed upload" in emu.violations[0]
    assert "is not an image" in emu.violations[1]


def test_a_png_upload_that_is_no_png_is_a_violation(emu: SlackEmulator, client: WebClient) -> None:
    client.files_upload_v2(content=b"GIF89a....", filename="picture.png")
    assert emu.uploads[0]["image"] is None
    assert emu.violations == ["files.completeUploadExternal: 'picture.png' is not a valid PNG"]
