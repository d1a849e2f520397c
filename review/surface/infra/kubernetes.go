package infra

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// analyseKubernetes reads every document with apiVersion and kind. Other
// YAML (application config) yields an empty result, not a failure.
func analyseKubernetes(src []byte, helm bool) *result {
	if helm {
		src = detemplate(src)
	}
	docs, ok := parseYAMLDocs(src)
	if !ok {
		return nil
	}
	r := newResult(src)
	for _, d := range docs {
		kind := scalar(mapValue(d.root, "kind"))
		if kind == "" || mapValue(d.root, "apiVersion") == nil {
			continue
		}
		name := scalar(mapValue(mapValue(d.root, "metadata"), "name"))
		if name == "" || name == "HELM" {
			name = "(templated)"
		}
		w := &podWalker{r: r, object: kind + " " + name}
		r.covers["obj|"+w.object] = true
		w.walk(d.root, "", "", 0)
		switch kind {
		case "Service":
			checkServiceType(r, w.object, mapValue(mapValue(d.root, "spec"), "type"))
		case "Ingress":
			checkIngress(r, w.object, d.root)
		}
	}
	return r
}

// analyseValues reads a Helm values file: the same pod settings, wherever the
// chart nests them, and service.type.
func analyseValues(src []byte) *result {
	docs, ok := parseYAMLDocs(src)
	if !ok {
		return nil
	}
	r := newResult(src)
	for _, d := range docs {
		w := &podWalker{r: r, object: "values", values: true}
		w.walk(d.root, "", "", 0)
	}
	return r
}

// podWalker visits an object's tree and reports pod and container settings
// wherever they appear (Deployment, CronJob, Pod, or an operator's CRD).
type podWalker struct {
	r      *result
	object string // "Deployment api"
	values bool   // a Helm values file: name things by key path
}

func (w *podWalker) where(container, path string) string {
	switch {
	case w.values:
		return "Helm values " + path + ":"
	case container != "":
		return w.object + " container " + container
	}
	return w.object
}

func (w *podWalker) walk(n *yaml.Node, container, path string, depth int) {
	if n == nil || depth > 100 {
		return
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			w.walk(c, container, path, depth+1)
		}
		return
	case yaml.MappingNode:
	default:
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := strings.TrimPrefix(path+"."+k.Value, ".")
		switch k.Value {
		case "containers", "initContainers", "ephemeralContainers":
			for _, c := range items(v) {
				name := scalar(mapValue(c, "name"))
				if name == "" {
					name = "(unnamed)"
				}
				w.walk(c, name, p, depth+1)
			}
			continue
		case "privileged":
			if isYAMLTrue(v) {
				w.risk("k8s-privileged", "high", "privileged", v, container, p, "runs privileged: full access to the node")
			}
		case "allowPrivilegeEscalation":
			if isYAMLTrue(v) {
				w.risk("k8s-privilege-escalation", "medium", "allowPrivilegeEscalation", v, container, p, "allows privilege escalation")
			}
		case "hostNetwork", "hostPID", "hostIPC":
			if isYAMLTrue(v) {
				w.risk("k8s-host-namespace", "high", k.Value, v, container, p, "shares the node's "+strings.ToLower(strings.TrimPrefix(k.Value, "host"))+" namespace ("+k.Value+": true)")
			}
		case "runAsUser":
			if scalar(v) == "0" {
				w.risk("k8s-run-as-root", "medium", "runAsUser", v, container, p, "runs as root (runAsUser: 0)")
			}
		case "runAsNonRoot":
			if isYAMLFalse(v) {
				w.risk("k8s-run-as-root", "medium", "runAsNonRoot", v, container, p, "may run as root (runAsNonRoot: false)")
			}
			if isYAMLTrue(v) && !w.values {
				key := "nonroot|" + w.object + "|" + container
				w.r.covers[key] = true
				w.r.covers["nonroot|"+w.object+"|"] = true
				w.r.guards = append(w.r.guards, guard{
					candidate: candidate{category: catInfra, rule: "infra/k8s-run-as-root", severity: "medium", token: "runAsNonRoot",
						key: key, line: k.Line, message: w.where(container, p) + " no longer has to run as non-root (runAsNonRoot removed)"},
					alts: []string{"nonroot|" + w.object + "|"}, requires: "obj|" + w.object})
			}
		case "capabilities":
			for _, c := range items(mapValue(v, "add")) {
				capName := strings.TrimPrefix(strings.ToUpper(scalar(c)), "CAP_")
				switch capName {
				case "SYS_ADMIN", "NET_ADMIN", "ALL", "SYS_PTRACE", "SYS_MODULE", "NET_RAW", "DAC_READ_SEARCH", "BPF":
					sev := "high"
					if capName == "NET_RAW" || capName == "SYS_PTRACE" {
						sev = "medium"
					}
					w.risk("k8s-capabilities", sev, capName, c, container, p, "adds capability "+capName)
				}
			}
		case "hostPath":
			if v.Kind == yaml.MappingNode {
				hp := scalar(mapValue(v, "path"))
				sev := "high"
				volume := scalar(mapValue(n, "name"))
				msg := fmt.Sprintf("mounts host path %s", hp)
				if volume != "" {
					msg += " (volume " + volume + ")"
				}
				w.risk("k8s-host-path", sev, "hostPath", k, container, p+"|"+hp, msg)
			}
		case "hostPort":
			if s := scalar(v); s != "" && s != "0" {
				w.risk("k8s-host-port", "medium", "hostPort", v, container, p+"|"+s, "binds host port "+s+" on the node")
			}
		case "type":
			if w.values && strings.HasSuffix(strings.ToLower(path), "service") {
				checkServiceType(w.r, "values "+path, v)
			}
		}
		w.walk(v, container, p, depth+1)
	}
}

// risk records a pod setting; the key holds the object, container and path,
// so the same setting moved within the file is not new.
func (w *podWalker) risk(rule, sev, token string, at *yaml.Node, container, path, msg string) {
	w.r.add(candidate{category: catInfra, rule: "infra/" + rule, severity: sev, token: token,
		key: rule + "|" + w.object + "|" + container + "|" + token + "|" + path, line: at.Line,
		message: w.where(container, path) + " " + msg})
}

func checkServiceType(r *result, object string, v *yaml.Node) {
	switch t := scalar(v); t {
	case "LoadBalancer", "NodePort":
		what := "exposed through a cloud load balancer"
		if t == "NodePort" {
			what = "exposed on a port of every node"
		}
		r.add(candidate{category: catInfra, rule: "infra/k8s-service-exposed", severity: "medium", token: t,
			key: "k8s-service|" + object + "|" + t, line: v.Line, message: fmt.Sprintf("%s is %s (type: %s)", object, what, t)})
	}
}

// checkIngress reports an Ingress without TLS, and keeps its TLS as a
// protection whose removal is reported.
func checkIngress(r *result, object string, root *yaml.Node) {
	spec := mapValue(root, "spec")
	tk, tls := mapGet(spec, "tls")
	if tls != nil && len(tls.Content) > 0 {
		key := "tls|" + object
		r.covers[key] = true
		r.guards = append(r.guards, guard{
			candidate: candidate{category: catInfra, rule: "infra/k8s-ingress-no-tls", severity: "medium", token: "tls",
				key: key, line: tk.Line, span: lineRange(tk.Line, lastLine(tls)),
				message: object + " no longer terminates TLS: traffic is served over plain HTTP"},
			requires: "obj|" + object})
		return
	}
	kk, _ := mapGet(root, "kind")
	span := []int{}
	if rk, rules := mapGet(spec, "rules"); rules != nil {
		span = append(span, rk.Line)
	}
	if nk, _ := mapGet(mapValue(root, "metadata"), "name"); nk != nil {
		span = append(span, nk.Line)
	}
	r.add(candidate{category: catInfra, rule: "infra/k8s-ingress-no-tls", severity: "medium", token: "Ingress",
		key: "k8s-ingress-no-tls|" + object, line: kk.Line, span: span,
		message: object + " exposes HTTP routes without TLS"})
}
