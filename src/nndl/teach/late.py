"""A late penalty for nbgrader: each started day late costs a fixed fraction of the score."""
import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float


class LatePenalty(LateSubmissionPlugin):
    """Penalty = score × ``per_day`` × (started days late), at most the score itself."""

    per_day = Float(0.1, help="fraction of the score lost per started day late").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days = math.ceil(total_seconds_late / 86400)
        return min(score, score * self.per_day * days)
