"""The supervision post (督办岗): the overdue board, supervision notices with coded delay
reasons, electronic cards and extension requests (DESIGN §3, §4)."""
