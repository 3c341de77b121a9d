"""Annual reviews on their own clock (docs/reviews.md).

- :mod:`ehc.reviews.clock`: the pure rules (dates in, dates out): the next
  review due, the phase transfer deadline, the steps of one review, the
  preparing-for-adulthood and 18 to 25 flags.
- :mod:`ehc.reviews.selectors`: the reviews worklist and one child's review
  clock, read from the user's scope.
- :mod:`ehc.reviews.filters` and :mod:`ehc.reviews.views`: the page at
  ``/ehc/reviews/`` and its downloads.
- :mod:`ehc.reviews.reminders`: each review's invitation, advice and
  decision in the daily reminder digest.
"""
