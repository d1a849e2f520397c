package infra

import (
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	fullSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)
	// ghExpr is one ${{ … }} expression.
	ghExpr = regexp.MustCompile(`\$\{\{([^}]|\}[^}])*\}\}`)
	// untrustedInput names the contexts an outside contributor controls.
	untrustedInput = regexp.MustCompile(`\bgithub\.(head_ref|event\.[A-Za-z0-9_.*\[\]'"-]+)`)
	// safeEvent lists github.event fields that cannot carry shell syntax.
	safeEvent = regexp.MustCompile(`(\.(number|id|sha|head_sha|merge_commit_sha|before|after|run_id|run_number|run_attempt|created_at|updated_at|draft|prerelease|merged|locked|private|fork|node_id|size|forks_count|stargazers_count|additions|deletions|changed_files|commits|comments)|\.(repository|organization|enterprise|installation)\.[A-Za-z0-9_.]+|\.sender\.(id|type))$`)
	// untrustedRef is a checkout of the contributor's code.
	untrustedRef = regexp.MustCompile(`github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch)|refs/pull/|github\.event\.pull_request\.merge_commit_sha|github\.event\.issue\.pull_request`)
)

// broadScopes are GITHUB_TOKEN scopes whose write access reaches code,
// releases, packages or cloud credentials.
var broadScopes = map[string]bool{
	"contents": true, "packages": true, "id-token": true, "actions": true, "deployments": true,
	"pages": true, "security-events": true, "attestations": true, "workflows": true,
}

// trigger is one event of on:.
type trigger struct {
	name string
	node *yaml.Node
}

// yamlRoot parses a YAML file whose first document is a mapping: the
// result to fill and that mapping, or the result alone (nil when the file
// does not parse, empty when it holds no mapping).
func yamlRoot(src []byte) (*result, *yaml.Node) {
	docs, ok := parseYAMLDocs(src)
	if !ok {
		return nil, nil
	}
	r := newResult(src)
	if len(docs) == 0 || docs[0].root.Kind != yaml.MappingNode {
		return r, nil
	}
	return r, docs[0].root
}

// analyseWorkflow reads a GitHub Actions workflow.
func analyseWorkflow(src []byte) *result {
	r, root := yamlRoot(src)
	if root == nil {
		return r
	}
	r.covers["workflow"] = true
	var triggers []trigger
	onKey, on := mapGet(root, "on")
	if on == nil {
		onKey, on = mapGet(root, "true") // YAML 1.1 readers turn on into true
	}
	switch {
	case on == nil:
	case on.Kind == yaml.ScalarNode:
		triggers = append(triggers, trigger{on.Value, on})
	case on.Kind == yaml.SequenceNode:
		for _, t := range on.Content {
			triggers = append(triggers, trigger{scalar(t), t})
		}
	case on.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(on.Content); i += 2 {
			triggers = append(triggers, trigger{on.Content[i].Value, on.Content[i]})
		}
	}
	has := func(names ...string) *yaml.Node {
		for _, t := range triggers {
			for _, n := range names {
				if t.name == n {
					return t.node
				}
			}
		}
		return nil
	}
	privileged := has("pull_request_target", "workflow_run", "issue_comment")

	_, jobs := mapGet(root, "jobs")
	// A checkout of the contributor's code in a privileged workflow runs
	// their code with the base repository's secrets and write token.
	var pwn *yaml.Node
	forEachStep(jobs, func(job string, step *yaml.Node) {
		uses := scalar(mapValue(step, "uses"))
		if !strings.HasPrefix(uses, "actions/checkout@") {
			return
		}
		with := mapValue(step, "with")
		for _, k := range []string{"ref", "repository"} {
			if v := mapValue(with, k); v != nil && (untrustedRef.MatchString(v.Value) || strings.Contains(v.Value, "head.repo.full_name")) {
				if privileged != nil {
					if pwn == nil {
						pwn = v
					}
					r.add(candidate{category: catPipeline, rule: "pipeline/gha-untrusted-checkout", severity: "critical",
						token: v.Value, key: "gha-untrusted-checkout|" + job + "|" + v.Value, line: v.Line,
						message: "job " + job + " checks out the pull request's code (" + strings.TrimSpace(v.Value) + ") in a privileged " + firstTrigger(privileged) + " workflow"})
				}
			}
		}
	})

	for _, t := range triggers {
		switch t.name {
		case "pull_request_target", "workflow_run":
			sev, msg := "high", "workflow now runs on "+t.name+": with secrets and a write token, on events from forks"
			if pwn != nil {
				sev, msg = "critical", "workflow runs on "+t.name+" and checks out the untrusted head: fork code runs with secrets"
			}
			r.add(candidate{category: catPipeline, rule: "pipeline/gha-" + strings.ReplaceAll(t.name, "_", "-"), severity: sev,
				token: t.name, key: "gha-trigger|" + t.name, line: t.node.Line, message: msg})
		}
	}

	// Permissions at the top and on each job.
	checkPermissions(r, mapValue(root, "permissions"), "")
	if pk, _ := mapGet(root, "permissions"); pk != nil {
		r.covers["perm|top"] = true
		r.guards = append(r.guards, guard{
			candidate: candidate{category: catPipeline, rule: "pipeline/gha-permissions-removed", severity: "medium", token: "permissions",
				key: "perm|top", line: pk.Line, message: "workflow permissions block removed: jobs get the repository's default token permissions"},
			requires: "workflow"})
	}
	prTrigger := has("pull_request", "pull_request_target")
	if jobs != nil && jobs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(jobs.Content); i += 2 {
			name, job := jobs.Content[i].Value, jobs.Content[i+1]
			r.covers["job|"+name] = true
			checkPermissions(r, mapValue(job, "permissions"), name)
			if pk, _ := mapGet(job, "permissions"); pk != nil {
				r.covers["perm|job|"+name] = true
				r.guards = append(r.guards, guard{
					candidate: candidate{category: catPipeline, rule: "pipeline/gha-permissions-removed", severity: "medium", token: "permissions",
						key: "perm|job|" + name, line: pk.Line, message: "job " + name + " permissions block removed: it gets the default token permissions"},
					alts: []string{"perm|top"}, requires: "job|" + name})
			}
			if v := mapValue(job, "secrets"); scalar(v) == "inherit" {
				// A workflow of this repository (./) is code as trusted as
				// the caller; another repository's gets every secret.
				sev := "medium"
				if strings.HasPrefix(strings.TrimSpace(scalar(mapValue(job, "uses"))), "./") {
					sev = "low"
				}
				r.add(candidate{category: catPipeline, rule: "pipeline/gha-secrets-inherit", severity: sev, token: "secrets: inherit",
					key: "gha-secrets-inherit|" + name, line: v.Line, message: "job " + name + " passes every repository secret to " + scalar(mapValue(job, "uses"))})
			}
			if u := mapValue(job, "uses"); u != nil {
				checkUses(r, name, u)
			}
			// A job's if: that names who triggered it or whether secrets are
			// there decides who can reach its secrets and its write token.
			if cond := mapValue(job, "if"); cond != nil && trustCondition.MatchString(cond.Value) {
				// A block scalar (if: |) starts on the key's line; an edit
				// to any of its lines changes the condition.
				var span []int
				for k := 1; k <= strings.Count(strings.TrimRight(cond.Value, "\n"), "\n")+1; k++ {
					span = append(span, cond.Line+k)
				}
				r.add(candidate{category: catPipeline, rule: "pipeline/gha-trust-condition", severity: "medium", token: "if",
					key: "gha-trust-condition|" + name + "|" + strings.Join(strings.Fields(cond.Value), " "), line: cond.Line, span: span, lowIfNew: "job|" + name,
					message: "job " + name + " runs under a condition on who triggered it or on its secrets (" + oneLineCond(cond.Value) + "): it decides who reaches the job's secrets"})
			}
			if ro := mapValue(job, "runs-on"); prTrigger != nil && selfHosted(ro) {
				r.add(candidate{category: catPipeline, rule: "pipeline/gha-self-hosted-pr", severity: "medium", token: "self-hosted",
					key: "gha-self-hosted-pr|" + name, line: ro.Line, span: []int{prTrigger.Line},
					message: "job " + name + " runs pull request code on a self-hosted runner"})
			}
		}
	}

	forEachStep(jobs, func(job string, step *yaml.Node) { checkStep(r, "job "+job, job, step, false) })

	// A job that newly gets a secret or an environment is a new way to
	// reach a credential.
	if jobs != nil && jobs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(jobs.Content); i += 2 {
			name, job := jobs.Content[i].Value, jobs.Content[i+1]
			if env := mapValue(job, "environment"); env != nil {
				e := scalar(env)
				if env.Kind == yaml.MappingNode {
					e = scalar(mapValue(env, "name"))
				}
				if e != "" {
					r.add(candidate{category: catPipeline, rule: "pipeline/gha-environment", severity: "medium", token: "environment",
						key: "gha-environment|" + name + "|" + e, line: env.Line,
						message: "job " + name + " runs in environment " + e + ": it gets that environment's secrets"})
				}
			}
			if secrets, line := jobSecrets(job); len(secrets) > 0 {
				r.add(candidate{category: catPipeline, rule: "pipeline/gha-secret-use", severity: "medium", token: "secrets",
					key: "gha-secrets|" + name + "|" + strings.Join(secrets, ","), line: line,
					message: "job " + name + " gets secret" + plural(len(secrets)) + " " + strings.Join(secrets, ", ")})
			}
		}
	}
	// A new workflow is new code that runs with the repository's token: when
	// nothing in it says more, that is its one finding.
	if on != nil && onKey != nil && len(r.risks) == 0 {
		var names []string
		for _, t := range triggers {
			names = append(names, t.name)
		}
		r.add(candidate{category: catPipeline, rule: "pipeline/gha-new-workflow", severity: "low", token: "workflow",
			key: "gha-workflow", line: onKey.Line,
			message: "new workflow, run on " + strings.Join(names, ", ")})
	}
	return r
}

// secretRef is one ${{ secrets.NAME }} (or secrets['NAME']).
var secretRef = regexp.MustCompile(`\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])`)

// jobSecrets are the secrets a job's expressions name, sorted, but for
// GITHUB_TOKEN (every job has it), and the line of the first.
func jobSecrets(job *yaml.Node) ([]string, int) {
	seen := map[string]bool{}
	line := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "secrets") {
			for _, m := range ghExpr.FindAllString(n.Value, -1) {
				for _, sm := range secretRef.FindAllStringSubmatch(m, -1) {
					name := sm[1] + sm[2]
					if name == "" || name == "GITHUB_TOKEN" || seen[name] {
						continue
					}
					seen[name] = true
					if line == 0 || n.Line < line {
						line = n.Line
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(job)
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, line
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// checkStep reads one step of a job (who names it in messages, key in
// keys), or of a composite action (action), whose inputs come from its
// callers.
func checkStep(r *result, who, key string, step *yaml.Node, action bool) {
	if u := mapValue(step, "uses"); u != nil {
		checkUses(r, key, u)
	}
	rk, run := mapGet(step, "run")
	if run == nil || run.Kind != yaml.ScalarNode {
		return
	}
	first, last := rk.Line, lastLine(run)
	for _, m := range ghExpr.FindAllString(run.Value, -1) {
		for _, in := range untrustedInput.FindAllString(m, -1) {
			if safeEvent.MatchString(in) {
				continue
			}
			line := findLine(r.lines, in, first, last)
			r.add(candidate{category: catPipeline, rule: "pipeline/gha-script-injection", severity: "high", token: in,
				key: "gha-script-injection|" + key + "|" + in, line: line,
				message: who + " interpolates " + in + " into a run: script (script injection)"})
		}
		if !action {
			continue
		}
		for _, in := range actionInput.FindAllString(m, -1) {
			line := findLine(r.lines, in, first, last)
			r.add(candidate{category: catPipeline, rule: "pipeline/gha-input-injection", severity: "medium", token: in,
				key: "gha-input-injection|" + key + "|" + in, line: line,
				message: who + " interpolates " + in + " into a run: script: a caller that passes untrusted text injects shell (pass it through env:)"})
		}
	}
	if shell := scalar(mapValue(step, "shell")); shell != "" && !strings.Contains(shell, "sh") && !strings.Contains(shell, "pwsh") && !strings.Contains(shell, "powershell") {
		return // python, cmd: not a shell the patterns know
	}
	pipeFindings(r, key, run, first, last)
}

// actionInput is an input of a composite action.
var actionInput = regexp.MustCompile(`\binputs\.[A-Za-z_][A-Za-z0-9_-]*`)

// analyseAction reads a composite action (action.yml): its steps run in
// the calling workflow's job, with its token and secrets.
func analyseAction(src []byte) *result {
	r, root := yamlRoot(src)
	if root == nil {
		return r
	}
	runs := mapValue(root, "runs")
	if !strings.EqualFold(scalar(mapValue(runs, "using")), "composite") {
		return r
	}
	for _, s := range items(mapValue(runs, "steps")) {
		if s.Kind == yaml.MappingNode {
			checkStep(r, "composite action step", "action", s, true)
		}
	}
	// Its inputs are what every calling workflow can hand it.
	if in := mapValue(root, "inputs"); in != nil && in.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(in.Content); i += 2 {
			name := in.Content[i].Value
			r.add(candidate{category: "entry-point", rule: "entry-point/action-input", severity: "low", token: "inputs",
				key: "action-input|" + name, line: in.Content[i].Line,
				message: "new action input " + name + ": callers' values reach its steps"})
		}
	}
	return r
}

func firstTrigger(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

// forEachStep visits every step of every job.
func forEachStep(jobs *yaml.Node, f func(job string, step *yaml.Node)) {
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(jobs.Content); i += 2 {
		for _, s := range items(mapValue(jobs.Content[i+1], "steps")) {
			if s.Kind == yaml.MappingNode {
				f(jobs.Content[i].Value, s)
			}
		}
	}
}

func checkPermissions(r *result, p *yaml.Node, job string) {
	if p == nil {
		return
	}
	who, key := "workflow", "top"
	if job != "" {
		who, key = "job "+job, "job|"+job
	}
	if scalar(p) == "write-all" {
		r.add(candidate{category: catPipeline, rule: "pipeline/gha-write-all", severity: "high", token: "write-all",
			key: "gha-write-all|" + key, line: p.Line, message: who + " gives GITHUB_TOKEN write access to everything (permissions: write-all)"})
		return
	}
	if p.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(p.Content); i += 2 {
		scope, v := p.Content[i].Value, p.Content[i+1]
		if scalar(v) == "write" && broadScopes[scope] {
			r.add(candidate{category: catPipeline, rule: "pipeline/gha-write-permission", severity: "medium", token: scope + ": write",
				key: "gha-write-permission|" + key + "|" + scope, line: p.Content[i].Line,
				message: who + " gives GITHUB_TOKEN " + scope + ": write"})
		}
	}
}

// checkUses reports a third-party action or reusable workflow that is not
// pinned to a full commit sha: its owner can change what runs. The key
// leaves the ref out: an action already used by a moving tag that moves to
// another tag is a version change (the dependency reader's), not a new
// unpinned use.
func checkUses(r *result, job string, u *yaml.Node) {
	ref := strings.TrimSpace(scalar(u))
	if ref == "" || strings.HasPrefix(ref, "./") || strings.HasPrefix(ref, "docker://") {
		return
	}
	action, version, found := strings.Cut(ref, "@")
	owner, _, _ := strings.Cut(action, "/")
	switch strings.ToLower(owner) {
	case "actions", "github":
		return // GitHub's own actions are trusted like the platform
	}
	if found && fullSHA.MatchString(version) {
		return
	}
	msg := "job " + job + " uses " + ref + ", not pinned to a commit sha"
	if !found {
		msg = "job " + job + " uses " + ref + " without any version"
	}
	r.add(candidate{category: catPipeline, rule: "pipeline/gha-unpinned-action", severity: "medium", token: action,
		key: "gha-unpinned|" + action, line: u.Line, message: msg, knownOnce: true})
}

func selfHosted(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.MappingNode {
		return mapValue(n, "group") != nil || selfHosted(mapValue(n, "labels"))
	}
	for _, it := range items(n) {
		if strings.EqualFold(scalar(it), "self-hosted") {
			return true
		}
	}
	return false
}

// findLine returns the first line in [first, last] containing s, or first.
func findLine(src []string, s string, first, last int) int {
	for l := first; l <= last && l <= len(src); l++ {
		if l >= 1 && strings.Contains(src[l-1], s) {
			return l
		}
	}
	return first
}

// analyseGitLab reads .gitlab-ci.yml: scripts that pipe downloads into a
// shell, and Docker-in-Docker services, which need privileged runners.
func analyseGitLab(src []byte) *result {
	docs, ok := parseYAMLDocs(src)
	if !ok {
		return nil
	}
	r := newResult(src)
	for _, d := range docs {
		if d.root.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(d.root.Content); i += 2 {
			name, job := d.root.Content[i].Value, d.root.Content[i+1]
			if job.Kind != yaml.MappingNode {
				continue
			}
			for _, k := range []string{"script", "before_script", "after_script"} {
				sk, s := mapGet(job, k)
				if s == nil {
					continue
				}
				cmds := items(s)
				if s.Kind == yaml.ScalarNode {
					cmds = []*yaml.Node{s}
				}
				for i, cmd := range cmds {
					last := lastLine(s)
					if i+1 < len(cmds) {
						last = cmds[i+1].Line - 1
					}
					pipeFindings(r, name, cmd, max(cmd.Line, sk.Line), last)
				}
			}
			for _, svc := range items(mapValue(job, "services")) {
				img := scalar(svc)
				if svc.Kind == yaml.MappingNode {
					img = scalar(mapValue(svc, "name"))
				}
				if strings.HasPrefix(img, "docker:") && strings.Contains(img, "dind") {
					r.add(candidate{category: catPipeline, rule: "pipeline/gitlab-dind", severity: "medium", token: "dind",
						key: "gitlab-dind|" + name, line: svc.Line,
						message: "job " + name + " runs Docker-in-Docker (" + img + "), which needs a privileged runner"})
				}
			}
		}
	}
	return r
}

// trustCondition matches the parts of an if: that decide who a job runs for:
// the actor or their association, the event (a pull request or not), the
// fork, or whether secrets are present.
var trustCondition = regexp.MustCompile(`author_association|github\.actor|triggering_actor|github\.event_name|head\.repo\.(fork|full_name)|secrets\.[A-Za-z_]+\s*(!=|==)|github\.repository_owner|github\.event\.sender`)

func oneLineCond(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return s
}

// pipeFindings reports the downloads piped into an interpreter in one
// script of a job (a run: step, a GitLab script entry) whose YAML node
// spans source lines first to last. The shell parser reads the script;
// where it refuses the text, the line patterns read the source lines.
func pipeFindings(r *result, job string, node *yaml.Node, first, last int) {
	if node == nil || node.Kind != yaml.ScalarNode {
		return
	}
	hits, ok := scanShell(node.Value)
	if !ok {
		for _, l := range shellLines(r.lines, first, last) {
			r.add(candidate{category: catPipeline, rule: "pipeline/curl-pipe-shell", severity: "high", token: "curl | sh",
				key: "curl-pipe-shell|" + job + "|" + normalizeCommand(r.text(l)), line: l,
				message: "job " + job + " runs a script downloaded from the network (curl | sh)", knownOnce: true})
		}
		return
	}
	for _, h := range hits {
		if h.kind != hitPipeShell {
			continue
		}
		// A literal block keeps the script's lines; a folded or quoted one
		// does not, so the command's first word is looked for instead.
		line, span := findLine(r.lines, h.word, first, last), lineRange(first, last)
		if node.Style&yaml.LiteralStyle != 0 {
			line, span = node.Line+h.line, lineRange(node.Line+h.first, node.Line+h.last)
		}
		r.add(candidate{category: catPipeline, rule: "pipeline/curl-pipe-shell", severity: "high", token: "curl | sh",
			key: "curl-pipe-shell|" + job + "|" + h.key, line: line, span: span,
			message: "job " + job + " runs a script downloaded from the network (curl | sh)", knownOnce: true})
	}
}
