/* labels.h - the Chinese words the UI uses for code values (GLOSSARY.md),
 * kept in one place. Unknown codes map to NULL so callers can reject them. */
#ifndef JB_LABELS_H
#define JB_LABELS_H

struct label {
	const char *code;
	const char *zh;
};

/* NULL-terminated; the state labels are in domain/state.h. */
extern const struct label unit_kinds[];
extern const struct label person_ranks[];
extern const struct label audit_actions[];    /* audit_event.action */
extern const struct label audit_outcomes[];   /* audit_event.outcome */
extern const struct label audit_action_groups[]; /* action prefixes for filtering */
extern const struct label audit_objects[];    /* audit_event.object_type */
extern const struct label audit_reasons[];    /* "reason" of a refusal or failed log-in */
/* Problem states as the statistics' chart of current states names them
 * where the state's own label could pass for a running total (已揭榜 beside
 * 累计揭榜); the other states keep their labels (domain/state.h). */
extern const struct label current_state_labels[];

const char *label_of(const struct label *table, const char *code);

#endif
