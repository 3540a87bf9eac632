// Starts GraphiQL against this hub's /graphql. Kept in its own file (not inline) so the page's
// Content-Security-Policy can forbid every script that is not served by the hub.
(function () {
  'use strict';
  var params = new URLSearchParams(window.location.search);
  var tokenInput = document.getElementById('sinergi-token');

  // The token stays in this page's memory only: it is never written to storage.
  function fetcher(body) {
    var headers = {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json'
    };
    var token = tokenInput.value.trim().replace(/^Bearer\s+/i, '');
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    return fetch('/graphql', {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(body),
      credentials: 'same-origin'
    }).then(function (res) {
      return res.json();
    });
  }

  var props = {
    fetcher: fetcher,
    defaultEditorToolsVisibility: params.has('variables'),
    visiblePlugin: GraphiQL.React.DOC_EXPLORER_PLUGIN,
    shouldPersistHeaders: false
  };
  // Links such as /graphql?query=...&variables=... (the console's "Lihat GraphQL") open with that
  // document and those variables in the editors.
  if (params.has('query')) {
    props.query = params.get('query');
  }
  if (params.has('variables')) {
    props.variables = params.get('variables');
  }
  if (params.has('operationName')) {
    props.operationName = params.get('operationName');
  }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, props)
  );
})();
