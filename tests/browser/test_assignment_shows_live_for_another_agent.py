"""What one agent does shows for another at once: assignment, and who else has the thread open."""

from tests.browser.conftest import make_agent
from tests.webcare_inbox.conftest import receive
from webcare_inbox.models import Conversation


def test_assignment_and_presence_reach_a_colleague(stack, login):
    receive("Help with my booking", address="+31612341111", profile_name="Sem")
    conversation = Conversation.objects.get()
    url = f"/inbox/c/{conversation.pk}/"
    agnes = login(make_agent("agnes", full_name="Agnes Agent"), url)
    bob = login(make_agent("bob", full_name="Bob Builder"), url)

    # Both have it open: each is warned the other is there (collision warning).
    agnes.locator("#presence", has_text="Bob Builder is viewing").wait_for()
    bob.locator("#presence", has_text="Agnes Agent is viewing").wait_for()
    agnes.fill("#reply-text", "Let me look")
    bob.locator("#presence", has_text="Agnes Agent is typing").wait_for()

    agnes.click('#assign-me button[value="me"]')
    bob.locator("#thread-assignee", has_text="Agnes Agent").wait_for()
    bob.locator(
        f'#conversation-list li[data-conversation-id="{conversation.pk}"] .conv-assignee',
        has_text="Agnes Agent",
    ).wait_for()
    bob.locator("#message-list li.activity", has_text="assigned").wait_for()
