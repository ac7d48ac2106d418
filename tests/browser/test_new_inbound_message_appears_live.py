"""A message sent to our WhatsApp number appears in the agent's open inbox, without a reload."""

from tests.browser.conftest import make_agent, wait_live


def test_a_new_message_appears_in_the_list_and_the_open_thread(stack, login):
    page = login(make_agent("agnes"))
    page.evaluate("window.__notReloaded = true")

    assert (
        stack.fake.whatsapp_inbound(
            from_number="+31612345678", body="Is KL1001 on time?", profile_name="Anna"
        ).status_code
        == 200
    )
    row = page.locator("#conversation-list li.conv", has_text="Is KL1001 on time?")
    row.wait_for()
    assert "Anna" in row.inner_text()

    row.locator("a").click()
    wait_live(page)
    page.evaluate("window.__notReloaded = true")
    stack.fake.whatsapp_inbound(
        from_number="+31612345678", body="And the gate?", profile_name="Anna"
    )
    page.locator("#message-list li.msg-in", has_text="And the gate?").wait_for()
    assert page.evaluate("window.__notReloaded") is True
