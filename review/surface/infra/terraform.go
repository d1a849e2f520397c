package infra

import (
	"encoding/json"
	"fmt"
	"strings"
)

// analyseTerraform reads a .tf file; nil when it does not parse.
func analyseTerraform(src []byte) *result {
	root, err := parseHCL(string(src))
	if err != nil {
		return nil
	}
	r := newResult(src)
	for _, b := range root.Blocks {
		if len(b.Labels) < 2 || (b.Type != "resource" && b.Type != "data") {
			continue
		}
		t := tfResource{block: b, typ: b.Labels[0], addr: b.Labels[0] + "." + b.Labels[1]}
		if b.Type == "data" {
			t.addr = "data." + t.addr
		}
		t.check(r)
	}
	return r
}

type tfResource struct {
	block *hclBlock
	typ   string
	addr  string
}

var openCIDRs = map[string]bool{"0.0.0.0/0": true, "::/0": true}

func (t tfResource) check(r *result) {
	b := t.block
	switch t.typ {
	case "aws_security_group":
		for _, in := range b.blocks("ingress") {
			t.awsIngress(r, in, "ingress")
		}
	case "aws_security_group_rule":
		if a := b.attr("type"); a != nil && a.Value.Kind == vString && a.Value.Str == "ingress" {
			t.awsIngress(r, b, "")
		}
	case "aws_vpc_security_group_ingress_rule":
		t.awsIngress(r, b, "")
	case "google_compute_firewall":
		t.gcpFirewall(r)
	case "azurerm_network_security_rule":
		t.azureRule(r, b)
	case "azurerm_network_security_group":
		for _, sr := range b.blocks("security_rule") {
			t.azureRule(r, sr)
		}
	case "aws_s3_bucket", "aws_s3_bucket_acl":
		if a := b.attr("acl"); a != nil && a.Value.Kind == vString &&
			(a.Value.Str == "public-read" || a.Value.Str == "public-read-write" || a.Value.Str == "authenticated-read") {
			t.risk(r, "tf-public-bucket", "high", a.Value.Str, a, fmt.Sprintf("%s makes the bucket %s", t.addr, a.Value.Str))
		}
		if t.typ == "aws_s3_bucket" {
			t.policy(r, b.attr("policy"), true)
		}
	case "aws_s3_bucket_public_access_block":
		for _, name := range []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"} {
			if a := b.attr(name); a != nil && a.Value.isFalse() {
				t.risk(r, "tf-public-bucket", "high", name, a, fmt.Sprintf("%s sets %s = false: the bucket can be made public", t.addr, name))
			}
		}
		// Deleting the block is as open as setting it false.
		g := guard{candidate: candidate{category: catInfra, rule: "infra/tf-public-access-block-removed", severity: "high",
			token: "aws_s3_bucket_public_access_block", key: "pab|" + t.addr, line: b.Line,
			message: t.addr + " removed: the bucket is no longer blocked from public access"}}
		if a := b.attr("bucket"); a != nil {
			g.alts = append(g.alts, "pab-bucket|"+exprKey(a.Value))
			r.covers["pab-bucket|"+exprKey(a.Value)] = true
		}
		r.guards = append(r.guards, g)
		r.covers["pab|"+t.addr] = true
	case "aws_s3_bucket_policy":
		t.policy(r, b.attr("policy"), true)
	case "aws_db_instance", "aws_rds_cluster_instance", "aws_redshift_cluster", "aws_dms_replication_instance":
		if a := b.attr("publicly_accessible"); a != nil && a.Value.isTrue() {
			t.risk(r, "tf-public-db", "high", "publicly_accessible", a, t.addr+" is publicly accessible from the internet")
		}
	case "aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy":
		t.policy(r, b.attr("policy"), false)
	case "aws_iam_role":
		t.policy(r, b.attr("assume_role_policy"), false)
		for _, ip := range b.blocks("inline_policy") {
			t.policy(r, ip.attr("policy"), false)
		}
	case "aws_iam_policy_document":
		t.policyDocument(r)
	case "aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment":
		if a := b.attr("policy_arn"); a != nil && a.Value.Kind == vString &&
			(strings.HasSuffix(a.Value.Str, ":policy/AdministratorAccess") || strings.HasSuffix(a.Value.Str, ":policy/IAMFullAccess")) {
			t.risk(r, "tf-wildcard-iam", "high", "AdministratorAccess", a, t.addr+" attaches "+a.Value.Str[strings.LastIndex(a.Value.Str, "/")+1:]+" (full access)")
		}
	case "azurerm_storage_account":
		for _, name := range []string{"allow_nested_items_to_be_public", "allow_blob_public_access"} {
			if a := b.attr(name); a != nil && a.Value.isTrue() {
				t.risk(r, "tf-public-storage", "high", name, a, t.addr+" allows public blob access")
			}
		}
		if a := b.attr("public_network_access_enabled"); a != nil && a.Value.isTrue() {
			t.risk(r, "tf-public-storage", "medium", "public_network_access_enabled", a, t.addr+" is reachable from public networks")
		}
	case "azurerm_storage_container":
		if a := b.attr("container_access_type"); a != nil && a.Value.Kind == vString && (a.Value.Str == "blob" || a.Value.Str == "container") {
			t.risk(r, "tf-public-storage", "high", a.Value.Str, a, fmt.Sprintf("%s gives anonymous %s read access", t.addr, a.Value.Str))
		}
	case "google_storage_bucket_iam_member", "google_storage_bucket_iam_binding", "google_storage_bucket_access_control",
		"google_storage_object_access_control", "google_storage_default_object_access_control":
		for _, name := range []string{"member", "members", "entity"} {
			a := b.attr(name)
			if a == nil {
				continue
			}
			for _, s := range a.Value.strings() {
				if s.s == "allUsers" || s.s == "allAuthenticatedUsers" {
					r.add(candidate{category: catInfra, rule: "infra/tf-public-storage", severity: "high", token: s.s,
						key: "tf-public-storage|" + t.addr + "|" + s.s, line: s.line, span: []int{a.Line},
						message: fmt.Sprintf("%s grants %s access to the bucket", t.addr, s.s)})
				}
			}
		}
	}
	// Unencrypted storage: the attribute names differ by resource, the
	// meaning does not.
	for _, name := range []string{"encrypted", "storage_encrypted", "encrypt_at_rest", "enable_encryption"} {
		if a := b.attr(name); a != nil && a.Value.isFalse() {
			t.risk(r, "tf-unencrypted", "medium", name, a, fmt.Sprintf("%s turns encryption at rest off (%s = false)", t.addr, name))
		}
	}
}

// risk records a finding that rests on one attribute.
func (t tfResource) risk(r *result, name, sev, token string, a *hclAttr, msg string) {
	r.add(candidate{category: catInfra, rule: "infra/" + name, severity: sev, token: token,
		key: name + "|" + t.addr + "|" + a.Name + "|" + exprKey(a.Value), line: a.Line, span: lineRange(a.Line, a.EndLine), message: msg})
}

// portText describes a from/to port pair in the reviewer's words.
func portText(from, to *hclAttr, proto *hclAttr) string {
	f, tt := "", ""
	if from != nil {
		f = from.Value.Str
	}
	if to != nil {
		tt = to.Value.Str
	}
	if proto != nil && (proto.Value.Str == "-1" || proto.Value.Str == "all") {
		return "all ports"
	}
	switch {
	case f == "" && tt == "":
		return "all ports"
	case (f == "0" || f == "") && (tt == "0" || tt == "65535"):
		return "all ports"
	case f == tt || tt == "":
		return "port " + f
	case f == "":
		return "port " + tt
	}
	return "ports " + f + "-" + tt
}

func (t tfResource) awsIngress(r *result, b *hclBlock, what string) {
	from, to, proto := b.attr("from_port"), b.attr("to_port"), b.attr("protocol")
	if proto == nil {
		proto = b.attr("ip_protocol")
	}
	ports := portText(from, to, proto)
	var span []int
	for _, a := range []*hclAttr{from, to, proto, b.attr("type")} {
		if a != nil {
			span = append(span, a.Line)
		}
	}
	for _, name := range []string{"cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"} {
		a := b.attr(name)
		if a == nil {
			continue
		}
		for _, s := range a.Value.strings() {
			if !openCIDRs[s.s] {
				continue
			}
			where := t.addr
			if what != "" {
				where += " " + what
			}
			r.add(candidate{category: catInfra, rule: "infra/tf-open-ingress", severity: "high", token: s.s,
				key: "tf-open-ingress|" + t.addr + "|" + ports + "|" + s.s, line: s.line, span: append([]int{a.Line}, span...),
				message: fmt.Sprintf("%s opens %s to %s", where, ports, s.s)})
		}
	}
}

func (t tfResource) gcpFirewall(r *result) {
	b := t.block
	if d := b.attr("direction"); d != nil && d.Value.Kind == vString && strings.EqualFold(d.Value.Str, "EGRESS") {
		return
	}
	allows := b.blocks("allow")
	if len(allows) == 0 {
		return
	}
	var ports []string
	var span []int
	for _, a := range allows {
		span = append(span, a.Line)
		pa := a.attr("ports")
		if pa == nil {
			ports = append(ports, "all ports")
			continue
		}
		span = append(span, pa.Line)
		for _, s := range pa.Value.strings() {
			ports = append(ports, s.s)
		}
	}
	desc := "all ports"
	if len(ports) > 0 {
		desc = "port " + strings.Join(ports, ", ")
		if len(ports) > 1 {
			desc = "ports " + strings.Join(ports, ", ")
		}
	}
	a := b.attr("source_ranges")
	if a == nil {
		return
	}
	for _, s := range a.Value.strings() {
		if openCIDRs[s.s] {
			r.add(candidate{category: catInfra, rule: "infra/tf-open-ingress", severity: "high", token: s.s,
				key: "tf-open-ingress|" + t.addr + "|" + desc + "|" + s.s, line: s.line, span: append([]int{a.Line}, span...),
				message: fmt.Sprintf("%s opens %s to %s", t.addr, desc, s.s)})
		}
	}
}

func (t tfResource) azureRule(r *result, b *hclBlock) {
	str := func(name string) string {
		if a := b.attr(name); a != nil && a.Value.Kind == vString {
			return a.Value.Str
		}
		return ""
	}
	if !strings.EqualFold(str("direction"), "Inbound") || !strings.EqualFold(str("access"), "Allow") {
		return
	}
	ports := str("destination_port_range")
	if a := b.attr("destination_port_ranges"); a != nil {
		var ps []string
		for _, s := range a.Value.strings() {
			ps = append(ps, s.s)
		}
		ports = strings.Join(ps, ", ")
	}
	desc := "port " + ports
	if ports == "*" || ports == "" {
		desc = "all ports"
	}
	where := t.addr
	if n := str("name"); n != "" && b != t.block {
		where += " rule " + n
	}
	var span []int
	for _, n := range []string{"direction", "access", "destination_port_range", "destination_port_ranges"} {
		if a := b.attr(n); a != nil {
			span = append(span, a.Line)
		}
	}
	for _, name := range []string{"source_address_prefix", "source_address_prefixes"} {
		a := b.attr(name)
		if a == nil {
			continue
		}
		for _, s := range a.Value.strings() {
			switch strings.ToLower(s.s) {
			case "*", "internet", "any", "0.0.0.0/0", "::/0":
				r.add(candidate{category: catInfra, rule: "infra/tf-open-ingress", severity: "high", token: s.s,
					key: "tf-open-ingress|" + where + "|" + desc + "|" + s.s, line: s.line, span: append([]int{a.Line}, span...),
					message: fmt.Sprintf("%s allows %s inbound from %s", where, desc, s.s)})
			}
		}
	}
}

// statement is one IAM policy statement reduced to what the rules need.
type statement struct {
	allow     bool
	actions   []litString
	resources []litString
	principal *litString // a wildcard principal, if any
	condition bool
}

// policy judges a policy attribute written as jsonencode({…}), a heredoc or
// a JSON string.
func (t tfResource) policy(r *result, a *hclAttr, bucket bool) {
	if a == nil {
		return
	}
	var stmts []statement
	v := a.Value
	switch {
	case v.Kind == vCall && v.Str == "jsonencode" && len(v.Obj) == 1:
		stmts = objectStatements(v.Obj[0].Value)
	case v.Kind == vHeredoc || v.Kind == vString:
		stmts = jsonStatements(v.Str, v.Line, r.lines)
	}
	t.judge(r, stmts, a, bucket)
}

// policyDocument reads data "aws_iam_policy_document" statement blocks.
func (t tfResource) policyDocument(r *result) {
	var stmts []statement
	for _, sb := range t.block.blocks("statement") {
		s := statement{allow: true}
		if e := sb.attr("effect"); e != nil && strings.EqualFold(e.Value.Str, "Deny") {
			s.allow = false
		}
		if a := sb.attr("actions"); a != nil {
			s.actions = a.Value.strings()
		}
		if a := sb.attr("resources"); a != nil {
			s.resources = a.Value.strings()
		}
		for _, p := range sb.blocks("principals") {
			typ := p.attr("type")
			ids := p.attr("identifiers")
			if ids == nil {
				continue
			}
			for _, id := range ids.Value.strings() {
				if id.s == "*" && (typ == nil || typ.Value.Str == "*" || typ.Value.Str == "AWS") {
					s.principal = &litString{"*", id.line}
				}
			}
		}
		s.condition = len(sb.blocks("condition")) > 0
		stmts = append(stmts, s)
	}
	whole := &hclAttr{Name: "statement", Line: t.block.Line, EndLine: t.block.EndLine}
	t.judge(r, stmts, whole, false)
}

func (t tfResource) judge(r *result, stmts []statement, a *hclAttr, bucket bool) {
	span := lineRange(a.Line, a.EndLine)
	for _, s := range stmts {
		if !s.allow {
			continue
		}
		star, iamStar := litString{}, litString{}
		for _, act := range s.actions {
			switch strings.ToLower(act.s) {
			case "*", "*:*":
				star = act
			case "iam:*":
				iamStar = act
			}
		}
		resStar := false
		for _, res := range s.resources {
			resStar = resStar || res.s == "*"
		}
		switch {
		case star.s != "":
			r.add(candidate{category: catInfra, rule: "infra/tf-wildcard-iam", severity: "high", token: `"*"`,
				key: "tf-wildcard-iam|" + t.addr + "|*", line: star.line, span: span,
				message: t.addr + ` allows every action (Action "*")`})
		case iamStar.s != "" && resStar:
			r.add(candidate{category: catInfra, rule: "infra/tf-wildcard-iam", severity: "high", token: "iam:*",
				key: "tf-wildcard-iam|" + t.addr + "|iam:*", line: iamStar.line, span: span,
				message: t.addr + ` allows iam:* on every resource: it can grant itself anything`})
		}
		if s.principal != nil && !s.condition {
			if bucket {
				r.add(candidate{category: catInfra, rule: "infra/tf-public-bucket", severity: "high", token: `Principal "*"`,
					key: "tf-public-bucket|" + t.addr + "|principal", line: s.principal.line, span: span,
					message: t.addr + ` lets anyone (Principal "*") access the bucket`})
			} else {
				r.add(candidate{category: catInfra, rule: "infra/tf-wildcard-iam", severity: "high", token: `Principal "*"`,
					key: "tf-wildcard-iam|" + t.addr + "|principal", line: s.principal.line, span: span,
					message: t.addr + ` trusts any principal (Principal "*")`})
			}
		}
	}
}

// objectStatements reads Statement from a jsonencode object.
func objectStatements(v hclValue) []statement {
	if v.Kind != vObject {
		return nil
	}
	st := v.field("Statement")
	if st == nil {
		return nil
	}
	var items []hclValue
	switch st.Value.Kind {
	case vList:
		items = st.Value.Items
	case vObject:
		items = []hclValue{st.Value}
	}
	var out []statement
	for _, it := range items {
		if it.Kind != vObject {
			continue
		}
		s := statement{allow: true}
		if e := it.field("Effect"); e != nil && strings.EqualFold(e.Value.Str, "Deny") {
			s.allow = false
		}
		if a := it.field("Action"); a != nil {
			s.actions = a.Value.strings()
		}
		if a := it.field("Resource"); a != nil {
			s.resources = a.Value.strings()
		}
		if p := it.field("Principal"); p != nil {
			switch {
			case p.Value.Kind == vString && p.Value.Str == "*":
				s.principal = &litString{"*", p.Value.Line}
			case p.Value.Kind == vObject:
				for _, f := range p.Value.Obj {
					for _, id := range f.Value.strings() {
						if id.s == "*" && f.Name == "AWS" {
							s.principal = &litString{"*", id.line}
						}
					}
				}
			}
		}
		s.condition = it.field("Condition") != nil
		out = append(out, s)
	}
	return out
}

// jsonStatements reads a JSON policy document. Lines are found by searching
// the source from the policy's first line, since encoding/json keeps none.
func jsonStatements(text string, start int, src []string) []statement {
	var doc struct {
		Statement json.RawMessage
	}
	if json.Unmarshal([]byte(text), &doc) != nil || len(doc.Statement) == 0 {
		return nil
	}
	type raw struct {
		Effect    string
		Action    json.RawMessage
		Resource  json.RawMessage
		Principal json.RawMessage
		Condition json.RawMessage
	}
	var list []raw
	if json.Unmarshal(doc.Statement, &list) != nil {
		var one raw
		if json.Unmarshal(doc.Statement, &one) != nil {
			return nil
		}
		list = []raw{one}
	}
	// Each wildcard is looked for from where the previous one was found.
	cursor := start
	find := func(pattern string) int {
		for l := cursor; l >= 1 && l <= len(src); l++ {
			if strings.Contains(src[l-1], pattern) {
				cursor = l
				return l
			}
		}
		return start
	}
	strs := func(m json.RawMessage) []string {
		var one string
		if json.Unmarshal(m, &one) == nil {
			return []string{one}
		}
		var many []string
		json.Unmarshal(m, &many)
		return many
	}
	var out []statement
	for _, rs := range list {
		s := statement{allow: !strings.EqualFold(rs.Effect, "Deny"), condition: len(rs.Condition) > 0 && string(rs.Condition) != "null"}
		for _, a := range strs(rs.Action) {
			s.actions = append(s.actions, litString{a, find(`"` + a + `"`)})
		}
		for _, res := range strs(rs.Resource) {
			s.resources = append(s.resources, litString{res, start})
		}
		if len(rs.Principal) > 0 {
			var p any
			json.Unmarshal(rs.Principal, &p)
			wild := p == "*"
			if m, ok := p.(map[string]any); ok {
				switch aws := m["AWS"].(type) {
				case string:
					wild = aws == "*"
				case []any:
					for _, x := range aws {
						wild = wild || x == "*"
					}
				}
			}
			if wild {
				s.principal = &litString{"*", find(`"Principal"`)}
			}
		}
		out = append(out, s)
	}
	return out
}

// exprKey is a stable text of a value for construct keys.
func exprKey(v hclValue) string {
	switch v.Kind {
	case vString, vNumber, vBool, vRef:
		return v.Str
	case vList:
		var parts []string
		for _, it := range v.Items {
			parts = append(parts, exprKey(it))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return "?"
}
