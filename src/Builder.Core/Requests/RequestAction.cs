namespace Builder.Core.Requests;

/// <summary>The <c>action</c> line of a build request.</summary>
public enum RequestAction
{
    /// <summary><c>action submit</c>: queue a build of a package (at a commit, or the head of the pocket's branch).</summary>
    Submit,

    /// <summary><c>action cancel</c>: cancel a build by id.</summary>
    Cancel,
}
