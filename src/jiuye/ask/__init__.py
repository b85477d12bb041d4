"""Ask: colloquial Chinese questions → cited passages, contacts, or an honest refusal."""
