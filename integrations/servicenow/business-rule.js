/* global current, gs, sn_ws, GlideRecord, GlideDateTime, GlideStringUtil, GlideCertificateEncryption */
/*
 * itsm-bridge — ServiceNow business rule that pushes incident changes to the bridge.
 *
 * Install (System Definition > Business Rules > New), see docs/ticket-systems.md:
 *   Table: Incident [incident]   When: async   Update: checked   Insert: unchecked
 *   Condition: current.correlation_display == 'itsm-bridge'
 *   Script: this file's contents.
 * System properties (sys_properties):
 *   itsm_bridge.push_url     https://<bridge host>/webhooks/servicenow
 *   itsm_bridge.push_secret  the shared secret (type: password2), also in the bridge as
 *                            servicenow.sync.pushSecret
 *
 * The body is signed with HMAC-SHA256 (header X-ServiceNow-Signature: sha256=<base64>). The bridge
 * answers 200 only after it stored the change; anything else is retried once here, and the bridge's
 * poll (every 30 s by default) is the safety net for pushes that never arrive.
 * An async rule has no `previous`: the bridge diffs against what it last saw, so the rule sends the
 * synced columns as they are now and the journal entries written since shortly before this update.
 */
(function executeRule(current /* GlideRecord */) {
  var url = gs.getProperty('itsm_bridge.push_url');
  var secret = gs.getProperty('itsm_bridge.push_secret');
  if (!url || !secret) {
    gs.warn('itsm-bridge push: set itsm_bridge.push_url and itsm_bridge.push_secret');
    return;
  }
  var columns = ['state', 'hold_reason', 'impact', 'urgency', 'priority', 'close_code', 'close_notes'];
  var fields = {};
  for (var i = 0; i < columns.length; i++) fields[columns[i]] = String(current.getValue(columns[i]) || '');
  // References as display values, as the bridge's poller resolves them.
  fields.assignment_group = String(current.assignment_group.getDisplayValue() || '');
  fields.assigned_to = String(current.assigned_to.getDisplayValue() || '');

  // Journal entries of this update: created at most 10 s before it (the bridge drops ones it has).
  var since = new GlideDateTime(current.getValue('sys_updated_on'));
  since.addSeconds(-10);
  var journal = [];
  var entries = new GlideRecord('sys_journal_field');
  entries.addQuery('element_id', current.getUniqueValue());
  entries.addQuery('element', 'IN', 'work_notes,comments');
  entries.addQuery('sys_created_on', '>=', since);
  entries.orderBy('sys_created_on');
  entries.setLimit(100);
  entries.query();
  while (entries.next()) {
    journal.push({
      sys_id: entries.getUniqueValue(),
      element: String(entries.getValue('element')),
      value: String(entries.getValue('value') || ''),
      sys_created_on: String(entries.getValue('sys_created_on')),
      sys_created_by: String(entries.getValue('sys_created_by')),
    });
  }

  var body = JSON.stringify({
    table: 'incident',
    sys_id: current.getUniqueValue(),
    number: String(current.getValue('number')),
    sys_mod_count: String(current.getValue('sys_mod_count')),
    sys_updated_on: String(current.getValue('sys_updated_on')),
    sys_updated_by: String(current.getValue('sys_updated_by')),
    fields: fields,
    journal: journal,
  });
  // generateMac takes the key base64-encoded and returns the MAC base64-encoded.
  var key = GlideStringUtil.base64Encode(secret);
  var signature = new GlideCertificateEncryption().generateMac(key, 'HmacSHA256', body);

  for (var attempt = 1; attempt <= 2; attempt++) {
    try {
      var request = new sn_ws.RESTMessageV2();
      request.setEndpoint(url);
      request.setHttpMethod('post');
      request.setRequestHeader('Content-Type', 'application/json');
      request.setRequestHeader('X-ServiceNow-Signature', 'sha256=' + signature);
      request.setHttpTimeout(15000);
      request.setRequestBody(body);
      var response = request.execute();
      var status = response.getStatusCode();
      if (status >= 200 && status < 300) return;
      gs.warn('itsm-bridge push of ' + current.number + ' answered ' + status + ' (attempt ' + attempt + ')');
    } catch (e) {
      gs.warn('itsm-bridge push of ' + current.number + ' failed: ' + e + ' (attempt ' + attempt + ')');
    }
  }
})(current);
