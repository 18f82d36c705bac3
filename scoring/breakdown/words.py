"""The policy numbers a deduction used, said in words (the breakdown shows them beside the amount)."""

from scoring.models import Rule


def _version_relevance(n: dict) -> str:
    return (
        f"−{n['deduction']} when the newest published version ({n.get('newest_published_version', '?')}) "
        "does not support the application's latest version."
    )


def _negative_reviews(n: dict) -> str:
    return (
        f"−{n['each']} for each negative review still unanswered and undisputed after the "
        f"{n['response_window_days']}-day response window, or whose dispute was rejected; at most −{n['cap']}. "
        f"Counted: {n.get('count', 0)}."
    )


def _excessive_cancellations(n: dict) -> str:
    return (
        f"−{n['deduction']} when cancellations in the last {n['window_days']} days are excessive: with fewer than "
        f"{n['small_subscriber_threshold']} subscribers at the window's start, "
        f"{n['small_cancellation_count']} or more; "
        f"otherwise {n['percent']}% or more. Here: {n['cancellations']} cancellations against "
        f"{n['subscribers_at_window_start']} subscribers."
    )


def _misrepresentation(n: dict) -> str:
    return (
        f"−{n['each']} for each cancellation in the last {n['window_months']} months that came more than "
        f"{n['min_months']} and less than {n['max_months']} months after subscribing; at most −{n['cap']}. "
        f"Counted: {n.get('count', 0)}."
    )


NUMBERS_IN_WORDS = {
    Rule.VERSION_RELEVANCE: _version_relevance,
    Rule.NEGATIVE_REVIEWS: _negative_reviews,
    Rule.EXCESSIVE_CANCELLATIONS: _excessive_cancellations,
    Rule.MISREPRESENTATION: _misrepresentation,
}


def numbers_in_words(rule: str, numbers: dict) -> str:
    try:
        return NUMBERS_IN_WORDS[rule](numbers)
    except KeyError:  # numbers of an older policy shape: show them as they are
        return ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in numbers.items())
