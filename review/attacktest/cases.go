package attacktest

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/ledger"
)

// Cases is the table. Every attack must make verify exit non-zero; the
// genuine reviews at the end must pass with the options named.
func Cases() []Case {
	now := time.Now().Truncate(time.Second)
	later := AICommitTime.Add(10 * time.Minute)
	// lenient is a reject signed by Alice whose payload a lenient reader
	// would take for an accept.
	lenient := func(name, extra string) Case {
		return Case{Name: "payload/" + name, WantExit: 1, Want: []string{`"status":"malformed"`, "canonical"},
			Setup: func(w *World) {
				c := w.Canonical(w.Payload(w.AI, ledger.Reject, "Alice", Alice, later))
				w.Plant(w.AI, w.Record("alice", strings.TrimSuffix(c, "}")+extra+"}"))
			}}
	}
	aiReviewer := func(name, email string) Case {
		return Case{Name: "identity/" + name, WantExit: 1, Want: []string{"signed by an AI identity"},
			Setup: func(w *World) {
				// A wildcard line lets Mallory's key sign as anyone; the AI
				// spelling must still be refused.
				w.Write(".vouch/allowed_signers", w.Signers()+"* "+w.Keys["mallory"].Pub+"\n")
				w.Git("checkout", "-q", "main")
				w.Git("commit", "-q", "-am", "Trust a shared key")
				w.Git("checkout", "-q", "feature")
				w.Git("rebase", "-q", "main")
				w.AI = w.Git("rev-parse", "HEAD")
				w.Plant(w.AI, w.Record("mallory", w.Canonical(w.Payload(w.AI, ledger.Accept, "Claude", email, now))))
			}}
	}
	return []Case{
		// 1. One reading of a record.
		lenient("later Decision key", `,"Decision":"accept"`),
		lenient("long s deciſion", `,"deciſion":"accept"`),
		lenient("duplicate decision key", `,"decision":"accept"`),

		// 2. Time bound to the commit.
		{Name: "time/expired key backdated", WantExit: 1, Want: []string{"before the commit it decides existed"},
			Setup: func(w *World) {
				w.Write(".vouch/allowed_signers", Alice+` valid-before="20200101" `+w.Keys["alice"].Pub+"\n")
				w.amendMain()
				w.Plant(w.AI, w.Record("alice", w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice", Alice, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)))))
			}},
		{Name: "time/expired certificate backdated", WantExit: 1, Want: []string{"before the commit it decides existed"},
			Setup: func(w *World) {
				w.Write(".vouch/allowed_signers", Alice+" cert-authority "+w.Keys["ca"].Pub+"\n")
				w.amendMain()
				key := w.Cert("mallory", Alice, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC))
				w.Plant(w.AI, w.RecordWith(key, w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice", Alice, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)))))
			}},
		{Name: "time/dated 1971", WantExit: 1, Want: []string{"before the commit it decides existed"},
			Setup: func(w *World) {
				w.Plant(w.AI, w.Record("alice", w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice", Alice, time.Unix(0, 0).Add(365*24*time.Hour)))))
			}},
		{Name: "time/key expired since, strict", WantExit: 1, Want: []string{"at the time of verification"},
			Opts: review.VerifyOptions{StrictTime: true}, Args: []string{"--strict-time"},
			Setup: func(w *World) {
				until := AICommitTime.Add(20 * time.Minute).UTC().Format("20060102150405Z")
				w.Write(".vouch/allowed_signers", Alice+` valid-before="`+until+`" `+w.Keys["alice"].Pub+"\n")
				w.amendMain()
				w.Accept(w.AI, "alice", AICommitTime.Add(10*time.Minute))
			}},

		// 3. Carry-over is a decision like any other.
		{Name: "carry-over/later reject of the same patch", WantExit: 1, Want: []string{`"verdict":"rejected"`},
			Opts: review.VerifyOptions{AllowCarryOver: true}, Args: []string{"--allow-carry-over"},
			Setup: func(w *World) {
				old := w.AI
				w.Accept(old, "alice", later)
				w.AI = w.Cherry()
				// A second cherry-pick of the same patch was rejected later.
				w.Git("checkout", "-q", "-b", "other", "main")
				w.GitAt(AICommitTime.Add(40*time.Minute), "cherry-pick", old)
				other := w.Git("rev-parse", "HEAD")
				w.Git("checkout", "-q", "feature")
				p := w.Payload(other, ledger.Reject, "Bob", Bob, later.Add(30*time.Minute))
				w.Plant(other, w.Record("bob", w.Canonical(p)))
			}},
		{Name: "carry-over/author accepts own patch", WantExit: 1, Want: []string{"reviewer is the commit's author"},
			Opts: review.VerifyOptions{AllowCarryOver: true, NotAuthor: true}, Args: []string{"--allow-carry-over", "--not-author"},
			Setup: func(w *World) {
				w.Write(".vouch/allowed_signers", w.Signers()+Author+" "+w.Keys["mallory"].Pub+"\n")
				w.amendMain()
				old := w.AI
				w.Plant(old, w.Record("mallory", w.Canonical(w.Payload(old, ledger.Accept, "Bo", Author, later))))
				w.AI = w.Cherry()
			}},
		{Name: "carry-over/incomplete checklist", WantExit: 1, Want: []string{"incomplete (0/18)"},
			Opts: review.VerifyOptions{AllowCarryOver: true, RequireComplete: true}, Args: []string{"--allow-carry-over", "--require-complete"},
			Setup: func(w *World) {
				old := w.AI
				p := w.Payload(old, ledger.Accept, "Alice", Alice, later)
				p.Checklists = []ledger.ChecklistTicks{{ID: "exec", Total: 18}}
				w.Plant(old, w.Record("alice", w.Canonical(p)))
				w.AI = w.Cherry()
			}},
		{Name: "carry-over/no touch", WantExit: 1, Want: []string{"user presence"},
			Opts: review.VerifyOptions{AllowCarryOver: true, RequirePresence: true}, Args: []string{"--allow-carry-over", "--require-presence"},
			Setup: func(w *World) {
				old := w.AI
				w.Accept(old, "alice", later)
				w.AI = w.Cherry()
			}},

		// 4. People are keys; identities are compared normalized.
		{Name: "identity/one key under two names", WantExit: 1, Want: []string{"1 distinct reviewer key(s) accepted; policy wants 2"},
			Opts: review.VerifyOptions{MinReviewers: 2}, Args: []string{"--min-reviewers", "2"},
			Setup: func(w *World) {
				w.Write(".vouch/allowed_signers", Alice+",alice.smith@corp.example "+w.Keys["alice"].Pub+"\n")
				w.amendMain()
				w.Plant(w.AI,
					w.Record("alice", w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice", Alice, later))),
					w.Record("alice", w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice Smith", "alice.smith@corp.example", later.Add(time.Minute)))))
			}},
		aiReviewer("trailing dot", "noreply@anthropic.com."),
		aiReviewer("zero-width space", "noreply\u200b@anthropic.com"),
		aiReviewer("cyrillic o", "n\u043ereply@anthropic.com"),
		aiReviewer("angle brackets", "<noreply@anthropic.com>"),

		// 5. The notes tree is read as git reads it; the trail's history counts.
		{Name: "notes/flat reject beside fanned-out accept", WantExit: 1, Want: []string{`"verdict":"rejected"`},
			Setup: func(w *World) {
				accept := w.Record("alice", w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice", Alice, later)))
				reject := w.Record("bob", w.Canonical(w.Payload(w.AI, ledger.Reject, "Bob", Bob, later.Add(time.Minute))))
				w.plantTree(map[string]string{w.AI[:2] + "/" + w.AI[2:]: accept, w.AI: reject})
			}},
		{Name: "notes/reject dropped by an unsigned notes commit", WantExit: 1, Want: []string{"is not signed by a trusted key", "record removed from the trail"},
			Opts: review.VerifyOptions{SignedTrail: true}, Args: []string{"--signed-trail"},
			Setup: func(w *World) {
				w.Accept(w.AI, "alice", later)
				w.Git("update-ref", "refs/notes/vouch", w.signedNotesCommit("refs/notes/vouch"))
				w.Plant(w.AI, w.Record("bob", w.Canonical(w.Payload(w.AI, ledger.Reject, "Bob", Bob, later.Add(time.Minute)))))
				w.Git("update-ref", "refs/notes/vouch", w.signedNotesCommit("refs/notes/vouch"))
				// The attacker puts back the note as it was before the reject.
				w.Run(strings.SplitN(w.Git("notes", "--ref=vouch", "show", w.AI), "\n", 2)[0]+"\n", "git", "notes", "--ref=vouch", "add", "-f", "-F", "-", w.AI)
			}},
		{Name: "notes/history rewritten without the reject", WantExit: 1, Want: []string{"is not signed by a trusted key"},
			Opts: review.VerifyOptions{SignedTrail: true}, Args: []string{"--signed-trail"},
			Setup: func(w *World) {
				w.Accept(w.AI, "alice", later)
				w.Git("update-ref", "refs/notes/vouch", w.signedNotesCommit("refs/notes/vouch"))
				reject := w.Record("bob", w.Canonical(w.Payload(w.AI, ledger.Reject, "Bob", Bob, later.Add(time.Minute))))
				w.Plant(w.AI, reject)
				w.Git("update-ref", "refs/notes/vouch", w.signedNotesCommit("refs/notes/vouch"))
				// The attacker drops Bob's reject with an unsigned, parentless commit.
				accept := w.Record("alice", w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice", Alice, later)))
				blob := w.Run(accept+"\n", "git", "hash-object", "-w", "--stdin")
				tree := w.Run("100644 blob "+blob+"\t"+w.AI+"\n", "git", "mktree")
				w.Git("update-ref", "refs/notes/vouch", w.Git("commit-tree", "--no-gpg-sign", "-m", "Notes added by 'git notes add'", tree))
			}},
		{Name: "notes/unsigned trail with signed_trail in the trusted policy", WantExit: 1, Want: []string{"is not signed by a trusted key"},
			Setup: func(w *World) {
				w.Write(".vouch/config.toml", "[verify]\nsigned_trail = true\n")
				w.amendMain()
				w.Accept(w.AI, "alice", later)
			}},

		// 7. Keys only from where the user said; trust from outside the change.
		{Name: "trust/pull request adds its author's key", WantExit: 1, Want: []string{"unknown-signer"},
			Setup: func(w *World) {
				w.Write(".vouch/allowed_signers", w.Signers()+Mallory+" "+w.Keys["mallory"].Pub+"\n")
				sha := w.CommitOnFeature(nil, "Trust Mallory\n\nCo-authored-by: Claude <noreply@anthropic.com>")
				for _, c := range []string{w.AI, sha} {
					w.Plant(c, w.Record("mallory", w.Canonical(w.Payload(c, ledger.Accept, "Mallory", Mallory, now))))
				}
			}},
		{Name: "trust/pull request lowers min_reviewers", WantExit: 1, Want: []string{"policy wants 2"},
			Setup: func(w *World) {
				w.Write(".vouch/config.toml", "[verify]\nmin_reviewers = 2\n")
				w.amendMain()
				w.Write(".vouch/config.toml", "[verify]\nmin_reviewers = 0\n")
				sha := w.CommitOnFeature(nil, "Relax review policy")
				w.Accept(w.AI, "alice", later)
				w.Accept(sha, "alice", later)
			}},
		{Name: "trust/pull request replaces the keyring and signers", WantExit: 1, Want: []string{"unknown-signer", "changes .vouch/"},
			Setup: func(w *World) {
				w.Write(".vouch/allowed_signers", Alice+" "+w.Keys["mallory"].Pub+"\n")
				w.Write(".vouch/keys.asc", "not a key\n")
				sha := w.CommitOnFeature(nil, "Rotate keys")
				for _, c := range []string{w.AI, sha} {
					w.Plant(c, w.Record("mallory", w.Canonical(w.Payload(c, ledger.Accept, "Alice", Alice, now))))
				}
			}},
		{Name: "trust/OpenPGP key committed by the pull request", WantExit: 1, Want: []string{"AI-authored commit without a valid accept"},
			Setup: func(w *World) {
				armored := w.GPGKey("Alice <" + Alice + ">")
				w.Write(".vouch/keys.asc", armored)
				sha := w.CommitOnFeature(nil, "Add release key")
				for _, c := range []string{w.AI, sha} {
					w.Plant(c, w.PGPRecord(Alice, w.Canonical(w.Payload(c, ledger.Accept, "Alice", Alice, now))))
				}
			}},
		{Name: "trust/OpenPGP key only in gpg's own keyring", WantExit: 1, Want: []string{"no OpenPGP keyring"},
			Setup: func(w *World) {
				w.GPGKey("Alice <" + Alice + ">")
				w.Plant(w.AI, w.PGPRecord(Alice, w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice", Alice, now))))
			}},
		{Name: "trust/pull request points the trail at a stale notes ref", WantExit: 1, Want: []string{`"verdict":"rejected"`},
			Setup: func(w *World) {
				w.Accept(w.AI, "alice", later)
				w.Git("update-ref", "refs/notes/stale", "refs/notes/vouch")
				w.Plant(w.AI, w.Record("bob", w.Canonical(w.Payload(w.AI, ledger.Reject, "Bob", Bob, later.Add(time.Minute)))))
				w.Write(".vouch/config.toml", "notes_ref = \"refs/notes/stale\"\n")
				w.CommitOnFeature(nil, "Move the trail")
			}},
		{Name: "trust/allowed signers from the work tree", WantExit: 2, Want: []string{"inside the work tree"},
			Opts: review.VerifyOptions{AllowedSigners: ".vouch/allowed_signers"}, Args: []string{"--allowed-signers", ".vouch/allowed_signers"},
			Setup: func(w *World) {
				w.Accept(w.AI, "alice", later)
			}},

		// Policy by path and kind: the report names the rule.
		{Name: "rules/path rule wants two reviewers", WantExit: 1, Want: []string{"rule app code: 1 distinct reviewer key(s) accepted; policy wants 2"},
			Setup: func(w *World) {
				w.Write(".vouch/config.toml", "[[verify.rules]]\nname = \"app code\"\npaths = [\"*.go\"]\nmin_reviewers = 2\n")
				w.amendMain()
				w.Accept(w.AI, "alice", later)
			}},
		{Name: "rules/category rule wants two reviewers", WantExit: 1, Want: []string{"verify.rules[1] (categories exec)", "policy wants 2"},
			Setup: func(w *World) {
				w.Write(".vouch/config.toml", "[[verify.rules]]\ncategories = [\"exec\"]\nmin_reviewers = 2\n")
				w.amendMain()
				w.Accept(w.AI, "alice", later)
			}},
		{Name: "rules/pull request switches off the detection a rule needs", WantExit: 1, Want: []string{"verify.rules[1] (categories exec)", "policy wants 2"},
			Setup: func(w *World) {
				w.Write(".vouch/config.toml", "[[verify.rules]]\ncategories = [\"exec\"]\nmin_reviewers = 2\n")
				w.amendMain()
				// The branch turns the exec rules off before the AI commit lands.
				w.Git("checkout", "-q", "-B", "feature", "main")
				w.Write(".vouch/config.toml", "[policy.rules]\nexec = \"off\"\n\n[[verify.rules]]\ncategories = [\"exec\"]\nmin_reviewers = 2\n")
				quiet := w.CommitOnFeature(nil, "Tune detection")
				w.GitAt(AICommitTime.Add(2*time.Minute), "cherry-pick", w.AI)
				w.AI = w.Git("rev-parse", "HEAD")
				w.Accept(quiet, "alice", later)
				w.Accept(w.AI, "alice", later)
			}},
		{Name: "genuine/rule met by two reviewers", WantExit: 0, Want: []string{`"verdict":"accepted"`},
			Setup: func(w *World) {
				w.Write(".vouch/config.toml", "[[verify.rules]]\ncategories = [\"exec\"]\nmin_reviewers = 2\nnot_author = true\n")
				w.amendMain()
				w.Accept(w.AI, "alice", later)
				w.Accept(w.AI, "bob", later.Add(time.Minute))
			}},

		{Name: "rules/surface hunks not on screen", WantExit: 1, Want: []string{"1 of 2 surface-changing hunks were on screen"},
			Setup: func(w *World) {
				w.Write(".vouch/config.toml", "[[verify.rules]]\nname = \"read the shell-outs\"\ncategories = [\"exec\"]\nrequire_seen = true\n")
				w.amendMain()
				p := w.Payload(w.AI, ledger.Accept, "Alice", Alice, later)
				p.Via, p.Coverage = "tui", &ledger.Coverage{Hunks: 2, HunksSeen: 1, SurfaceHunks: 2, SurfaceSeen: 1, Seconds: 3}
				w.Plant(w.AI, w.Record("alice", w.Canonical(p)))
			}},
		{Name: "rules/accept from the command line where reading is required", WantExit: 1, Want: []string{"no record of what was on screen"},
			Opts: review.VerifyOptions{RequireSeen: true}, Args: []string{"--require-seen"},
			Setup: func(w *World) { w.Accept(w.AI, "alice", later) }},
		{Name: "genuine/every surface hunk read", WantExit: 0, Want: []string{`"verdict":"accepted"`},
			Opts: review.VerifyOptions{RequireSeen: true}, Args: []string{"--require-seen"},
			Setup: func(w *World) {
				p := w.Payload(w.AI, ledger.Accept, "Alice", Alice, later)
				p.Via, p.Coverage = "tui", &ledger.Coverage{Hunks: 2, HunksSeen: 2, SurfaceHunks: 1, SurfaceSeen: 1, Seconds: 40}
				w.Plant(w.AI, w.Record("alice", w.Canonical(p)))
			}},

		// 6. What the screen shows: an unverified record is not an accept.
		{Name: "state/junk-signed accept", WantExit: 1, Want: []string{"AI-authored commit without a valid accept"},
			Setup: func(w *World) {
				line, _ := ledger.Record{Payload: w.Canonical(w.Payload(w.AI, ledger.Accept, "Alice", Alice, now)), SigFormat: "ssh",
					Signature: "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n"}.Line()
				w.Plant(w.AI, line)
			}},

		// 9. Failures say what happened.
		{Name: "failures/notes ref moved onto a blob", WantExit: 2, Want: []string{"refs/notes/vouch points at a blob, not a notes commit"},
			Setup: func(w *World) {
				w.Git("update-ref", "refs/notes/vouch", w.Run("junk\n", "git", "hash-object", "-w", "--stdin"))
			}},

		{Name: "failures/shallow clone", WantExit: 2, Want: []string{"shallow clone", "fetch-depth: 0"},
			Setup: func(w *World) {
				w.Accept(w.AI, "alice", later)
				shallow := filepath.Join(w.T.TempDir(), "shallow")
				w.Git("clone", "-q", "--depth", "1", "--no-single-branch", "file://"+w.Dir, shallow)
				w.Dir = shallow
				w.Git("remote", "set-head", "origin", "main")
				w.Git("branch", "-q", "main", "origin/main")
				w.Git("fetch", "-q", "origin", "refs/notes/vouch:refs/notes/vouch")
			}},

		{Name: "trust/default branch is the branch under review", WantExit: 2, Want: []string{"one of the commits under review"},
			Setup: func(w *World) {
				// origin/HEAD names the pull request's own branch.
				w.Git("update-ref", "refs/remotes/origin/feature", w.AI)
				w.Git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/feature")
				w.Write(".vouch/allowed_signers", w.Signers()+Mallory+" "+w.Keys["mallory"].Pub+"\n")
				sha := w.CommitOnFeature(nil, "Trust Mallory")
				w.Git("update-ref", "refs/remotes/origin/feature", sha)
				for _, c := range []string{w.AI, sha} {
					w.Plant(c, w.Record("mallory", w.Canonical(w.Payload(c, ledger.Accept, "Mallory", Mallory, now))))
				}
			}},

		// Genuine reviews pass, with every option that a plain key can meet.
		{Name: "genuine/one accept", WantExit: 0, Want: []string{`"verdict":"accepted"`},
			Setup: func(w *World) { w.Accept(w.AI, "alice", later) }},
		{Name: "genuine/every option", WantExit: 0, Want: []string{`"verdict":"accepted"`},
			Opts: review.VerifyOptions{StrictTime: true, SignedTrail: true, NotAuthor: true, RequireComplete: true, MinReviewers: 2},
			Args: []string{"--strict-time", "--signed-trail", "--not-author", "--require-complete", "--min-reviewers", "2"},
			Setup: func(w *World) {
				w.Accept(w.AI, "alice", later)
				w.Git("update-ref", "refs/notes/vouch", w.signedNotesCommit("refs/notes/vouch"))
				w.Accept(w.AI, "bob", later.Add(time.Minute))
				w.Git("update-ref", "refs/notes/vouch", w.signedNotesCommit("refs/notes/vouch"))
			}},
		{Name: "genuine/trust change accepted by a trusted reviewer", WantExit: 0, Want: []string{`"verdict":"accepted"`},
			Setup: func(w *World) {
				w.Write(".vouch/allowed_signers", w.Signers()+Mallory+" "+w.Keys["mallory"].Pub+"\n")
				sha := w.CommitOnFeature(nil, "Trust Mallory")
				w.Accept(w.AI, "alice", later)
				w.Accept(sha, "alice", later)
			}},
		{Name: "genuine/carried over", WantExit: 0, Want: []string{`"verdict":"accepted"`, `"carried_from"`},
			Opts: review.VerifyOptions{AllowCarryOver: true, RequireComplete: true, NotAuthor: true}, Args: []string{"--allow-carry-over", "--require-complete", "--not-author"},
			Setup: func(w *World) {
				old := w.AI
				w.Accept(old, "alice", later)
				w.AI = w.Cherry()
			}},
	}
}

// amendMain commits the work tree's .vouch/ changes into main's only commit
// and puts feature back on top, as if main had always been so.
func (w *World) amendMain() {
	w.T.Helper()
	w.Git("stash", "-q", "-u")
	old := w.Base
	w.Git("checkout", "-q", "main")
	w.Git("stash", "pop", "-q")
	w.Git("add", "-A")
	w.GitAt(AICommitTime.Add(-time.Hour), "commit", "-q", "--amend", "--no-edit")
	w.Base = w.Git("rev-parse", "HEAD")
	w.Git("checkout", "-q", "feature")
	w.GitAt(AICommitTime, "rebase", "-q", "--committer-date-is-author-date", "--onto", "main", old)
	w.AI = w.Git("rev-parse", "HEAD")
}

// plantTree writes refs/notes/vouch as a tree of the given paths (flat and
// fanned out at once), as a hand-made notes commit.
func (w *World) plantTree(paths map[string]string) {
	w.T.Helper()
	index := filepath.Join(w.T.TempDir(), "index")
	env := []string{"GIT_INDEX_FILE=" + index}
	for path, text := range paths {
		blob := w.Run(text+"\n", "git", "hash-object", "-w", "--stdin")
		if out, err := w.run("", env, "git", "update-index", "--add", "--cacheinfo", "100644,"+blob+","+path); err != nil {
			w.T.Fatalf("update-index: %v %s", err, out)
		}
	}
	tree, err := w.run("", env, "git", "write-tree")
	if err != nil {
		w.T.Fatalf("write-tree: %v %s", err, tree)
	}
	w.Git("update-ref", "refs/notes/vouch", w.Git("commit-tree", "--no-gpg-sign", "-m", "notes", strings.TrimSpace(tree)))
	_ = os.Remove(index)
}

// signedNotesCommit re-commits ref's tip tree on its parents, signed by
// Alice as `git commit -S` signs, and returns the new commit.
func (w *World) signedNotesCommit(ref string) string {
	w.T.Helper()
	tip := w.Git("rev-parse", ref)
	args := []string{"commit-tree", "-S", "-m", "Notes added by 'git notes add'"}
	for _, p := range strings.Fields(w.Git("rev-list", "--parents", "-n", "1", tip))[1:] {
		args = append(args, "-p", p)
	}
	return w.Git(append(args, tip+"^{tree}")...)
}
