-- Argo CD health check for streamgate.io/StreamEndpoint.
-- Reads the kstatus conventions every StreamGate kind follows:
-- observedGeneration, and the Ready, Reconciling and Stalled conditions.
local hs = {}
if obj.status == nil or obj.status.observedGeneration == nil
    or obj.status.observedGeneration ~= obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation)
  return hs
end
local conditions = {}
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    conditions[c.type] = c
  end
end
local function say(c)
  if c.message ~= nil and c.message ~= "" then
    return c.reason .. ": " .. c.message
  end
  return c.reason
end
local stalled, ready, reconciling = conditions["Stalled"], conditions["Ready"], conditions["Reconciling"]
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = say(stalled)
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = say(ready)
  return hs
end
if ready ~= nil and ready.reason == "NoVideosSelected" then
  -- Nothing to serve until a Ready Video matches the selector.
  hs.status = "Suspended"
  hs.message = say(ready)
  return hs
end
if ready ~= nil and ready.reason == "GateNotReady" then
  hs.status = "Degraded"
  hs.message = say(ready)
  return hs
end
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = say(reconciling)
  return hs
end
hs.status = "Progressing"
if ready ~= nil then
  hs.message = say(ready)
else
  hs.message = "Waiting for the Ready condition"
end
return hs
